package service

import (
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Handler runs an action. It returns the reply for the proxy, or an error,
// which the service logs and answers with status 500.
type Handler func(*Request) (*Response, error)

// Action declares one action of a service: its route, template, methods,
// handler and the options the proxy reads from its meta.
type Action struct {
	// Route is the action's path, "/" for the home action. Segments may be
	// parameters: {name}, {name:int}, {name:path} or {name...}.
	Route string

	// Template is the file name of the action's template in the service's
	// template file system. Empty when the action has no template.
	Template string

	// Methods lists the accepted HTTP methods. Default: GET. HEAD is
	// accepted wherever GET is.
	Methods []string

	// Handler computes the action's reply.
	Handler Handler

	// OnlyLoggedUser limits the action to authenticated users.
	OnlyLoggedUser bool
	// OnlyMemberUser limits the action to members of the project.
	OnlyMemberUser bool
	// OnlyAdminUser limits the action to administrators of the project.
	OnlyAdminUser bool
	// OnlyOrgaMemberUser limits the action to members of the current
	// organisation.
	OnlyOrgaMemberUser bool
	// OnlyOrgaAdminUser limits the action to administrators of the current
	// organisation.
	OnlyOrgaAdminUser bool

	// CacheTime lets the proxy cache the rendered page this long, rounded
	// down to whole seconds. Zero: no cache.
	CacheTime time.Duration
	// CacheByUser sets whether the proxy caches the page per user. Nil
	// sends JSON null, which the proxy treats as "per user when an
	// only_*_user flag is set". Use [ByUser] or [SharedBetweenUsers].
	CacheByUser *bool

	// UserInfo lists the user properties the proxy adds to each call as
	// ebuio_u_<name> parameters.
	UserInfo []string

	// Public makes the page reachable in organisation mode by a user with
	// no organisation.
	Public bool
	// JSONOnly sends the action's data to the browser as JSON.
	JSONOnly bool
	// XMLOnly sends the "xml" string of the action's data as
	// application/xml.
	XMLOnly bool
	// NoTemplate renders the template without the proxy's layout.
	NoTemplate bool

	// AddressInNetworks limits the action to browsers whose address is in
	// one of these CIDR networks (IPv4 or IPv6).
	AddressInNetworks []string

	// SendETag moves the data key "_plugit_etag" into the ETag header.
	SendETag bool

	// CrossDomain, when set, adds CORS headers to every reply of the
	// action and answers OPTIONS without running the handler.
	CrossDomain *CrossDomain
}

// CrossDomain configures the CORS headers of a cross-domain action.
type CrossDomain struct {
	// Origin is the Access-Control-Allow-Origin value, such as "*".
	Origin string
	// Methods is the Access-Control-Allow-Methods list. Default: the
	// action's methods.
	Methods []string
	// Headers is the Access-Control-Allow-Headers list. Default: none.
	Headers []string
	// MaxAge is the Access-Control-Max-Age. Default: 6 hours.
	MaxAge time.Duration
}

// ByUser returns a CacheByUser value that caches pages per user.
func ByUser() *bool { v := true; return &v }

// SharedBetweenUsers returns a CacheByUser value that shares cached pages
// between users, even on restricted actions.
func SharedBetweenUsers() *bool { v := false; return &v }

// action is a validated Action with its parsed route and template tag.
type action struct {
	Action
	route       route
	methods     map[string]bool
	allow       string
	templateTag string
}

func newAction(a Action, templateTag string) (*action, error) {
	r, err := parseRoute(a.Route)
	if err != nil {
		return nil, err
	}

	if a.Handler == nil {
		return nil, fmt.Errorf("service: action %q has no handler", a.Route)
	}

	for _, cidr := range a.AddressInNetworks {
		if _, err := netip.ParsePrefix(cidr); err != nil {
			return nil, fmt.Errorf("service: action %q: invalid network %q: %w", a.Route, cidr, err)
		}
	}

	// Copy the methods so that upper-casing them leaves the caller's slice
	// unchanged.
	a.Methods = slices.Clone(a.Methods)
	if len(a.Methods) == 0 {
		a.Methods = []string{http.MethodGet}
	}

	methods := map[string]bool{}
	for i, m := range a.Methods {
		a.Methods[i] = strings.ToUpper(m)
		methods[a.Methods[i]] = true
	}
	if methods[http.MethodGet] {
		methods[http.MethodHead] = true
	}

	allow := append([]string{}, a.Methods...)
	if methods[http.MethodGet] && !slices.Contains(allow, http.MethodHead) {
		allow = append(allow, http.MethodHead)
	}
	if !methods[http.MethodOptions] {
		allow = append(allow, http.MethodOptions)
	}

	return &action{
		Action:      a,
		route:       r,
		methods:     methods,
		allow:       strings.Join(allow, ", "),
		templateTag: templateTag,
	}, nil
}

// meta returns the action's meta object. Keys for options left unset are
// absent, as the protocol requires, except template_tag.
func (a *action) meta() map[string]any {
	m := map[string]any{"template_tag": a.templateTag}
	flags := []struct {
		key string
		set bool
	}{
		{"only_logged_user", a.OnlyLoggedUser},
		{"only_member_user", a.OnlyMemberUser},
		{"only_admin_user", a.OnlyAdminUser},
		{"only_orga_member_user", a.OnlyOrgaMemberUser},
		{"only_orga_admin_user", a.OnlyOrgaAdminUser},
		{"public", a.Public},
		{"json_only", a.JSONOnly},
		{"xml_only", a.XMLOnly},
		{"no_template", a.NoTemplate},
	}
	for _, f := range flags {
		if f.set {
			m[f.key] = true
		}
	}

	if a.CacheTime > 0 {
		m["cache_time"] = int(a.CacheTime / time.Second)
		m["cache_by_user"] = a.CacheByUser
	}

	if len(a.UserInfo) > 0 {
		m["user_info"] = a.UserInfo
	}

	if len(a.AddressInNetworks) > 0 {
		m["address_in_networks"] = a.AddressInNetworks
	}

	return m
}
