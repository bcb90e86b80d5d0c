// Package conformance checks an implementation of the PlugIt protocol
// against the protocol fixtures: a service that implements the fixture
// actions, or a proxy that fronts the template-mode fixture service.
//
// Each rule of the protocol is one named [Check]. A suite is a list of
// checks; [Run] runs them against a [Target] and returns one [Result] per
// check, which [WriteTable] prints as an aligned table:
//
//	target := &conformance.Target{URL: "http://127.0.0.1:4000/plugIt/"}
//	results := conformance.Run(ctx, target, conformance.ProxyChecks())
//	conformance.WriteTable(os.Stdout, results)
//	if len(conformance.Failed(results)) > 0 {
//		os.Exit(1)
//	}
//
// [ServiceChecks] call a service directly, as a proxy would. [ProxyChecks]
// act as a browser with a cookie jar in front of a standalone proxy, and
// switch between its simulated users. [ProxyModeChecks] do the same for a
// proxy fronting the proxy-mode fixture service. [InspectService] checks
// any service, not only the fixtures, for the plugit check command.
package conformance
