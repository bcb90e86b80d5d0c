// Package browser holds the tests that drive the proxy's pages in a real
// Chromium: the demo's polls service behind the proxy, used through the
// layout's menus, forms and error pages at desktop and phone widths.
//
// The package has no code of its own. Run its tests with
//
//	go test ./browser/...
//
// They need Chromium at /usr/bin/chromium (Debian: apt-get install
// chromium), or at the path in PLUGIT_TEST_CHROMIUM, and skip saying so
// when it is missing. Screenshots are written to
// test-artifacts/screenshots/, and also to docs/screenshots/ when
// PLUGIT_UPDATE_SCREENSHOTS=1 is set.
package browser
