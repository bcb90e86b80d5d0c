package proxy

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// ErrNotFound is returned by a Directory for a user or organisation that
// does not exist or that the service may not see.
var ErrNotFound = errNotFound

// Directory answers the API's questions about users and organisations,
// limited to what a service is entitled to see.
type Directory interface {
	// User returns the user by primary key or UUID, or ErrNotFound.
	User(ctx context.Context, serviceKey, ref string) (APIUser, error)
	// SubscriptionLabels returns the user's active labels for the service.
	SubscriptionLabels(ctx context.Context, serviceKey string, pk int64) ([]string, error)
	// Orga returns an organisation, or ErrNotFound.
	Orga(ctx context.Context, serviceKey string, pk int64) (Orga, error)
	// Orgas returns the organisations the service may see.
	Orgas(ctx context.Context, serviceKey string) ([]Orga, error)
	// Members returns the service's members.
	Members(ctx context.Context, serviceKey string) ([]APIUser, error)
}

// APIUser is a user as the API returns it: the released properties, id
// and the user's organisations.
type APIUser struct {
	User
	Orgas []APIUserOrga
}

// APIUserOrga is one organisation of a user, with the user's rights.
type APIUserOrga struct {
	Orga
	IsAdmin bool
}

// MarshalJSON writes the user with the protocol's key names.
func (u APIUser) MarshalJSON() ([]byte, error) {
	orgas := make([]map[string]any, 0, len(u.Orgas))
	for _, o := range u.Orgas {
		orgas = append(orgas, map[string]any{"id": o.PK, "name": o.Name, "codops": o.Codops, "is_admin": o.IsAdmin})
	}
	labels := u.SubscriptionLabels
	if labels == nil {
		labels = []string{}
	}
	return json.Marshal(map[string]any{
		"pk": u.PK, "id": strconv.FormatInt(u.PK, 10), "username": u.Username,
		"first_name": u.FirstName, "last_name": u.LastName, "email": u.Email,
		"ebuio_member": u.Member, "ebuio_admin": u.Admin,
		"ebuio_orga_member": u.OrgaMember, "ebuio_orga_admin": u.OrgaAdmin,
		"subscription_labels": labels, "orgas": orgas,
	})
}

// apiCalls lists the API's calls for its help page.
var apiCalls = []map[string]string{
	{"call": "GET user/<pk or uuid>", "reply": "the user's properties and organisations"},
	{"call": "GET subscriptions/<pk>", "reply": "the user's active subscription labels for this service"},
	{"call": "GET orga/<pk>", "reply": "{pk, name, codops}"},
	{"call": "GET orgas/", "reply": "{\"data\": [{id, name, codops}, ...]}"},
	{"call": "GET members/", "reply": "{\"members\": [user, ...]} of this service"},
	{"call": "POST mail/", "reply": "{} once sent; form: sender, dests (repeated), subject, message, html_message, response_id"},
}

// handleHostedAPI serves /api/<api key>/<service key>/<call>.
func (p *Proxy) handleHostedAPI(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/api/")
	apiKey, rest, _ := strings.Cut(rest, "/")
	serviceKey, call, _ := strings.Cut(rest, "/")
	client := p.clientAddr(r).String()
	if wait, _ := p.apiFailures.Wait(r.Context(), client); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeAPIError(w, http.StatusTooManyRequests, "too many calls with a wrong API key from this address")
		return
	}

	svc := p.services.Load().byKey[serviceKey]
	if svc == nil || svc.APIKey == "" ||
		subtle.ConstantTimeCompare([]byte(apiKey), []byte(svc.APIKey)) != 1 {
		_ = p.apiFailures.Fail(r.Context(), client)
		// Only the first failure of an address in a window is logged, so
		// that guessing can't flood the log.
		if wait, _ := p.apiFailures.Wait(r.Context(), client); wait == 0 {
			p.logger.Warn("proxy: API call with a wrong key or service", "service", serviceKey, "client_ip", client)
		}
		writeAPIError(w, http.StatusForbidden, "wrong API key or service")
		return
	}
	stateFrom(r.Context()).service = svc
	p.serveAPI(w, r, svc, call)
}

// serveAPI serves one API call of a service.
func (p *Proxy) serveAPI(w http.ResponseWriter, r *http.Request, svc *serviceState, call string) {
	dir := p.directory()
	name, arg, _ := strings.Cut(call, "/")
	ctx := r.Context()
	var reply any
	var err error

	switch {
	case name == "" && r.Method == http.MethodGet:
		reply = map[string]any{"calls": apiCalls}
	case name == "mail" && arg == "":
		p.serveAPIMail(w, r, svc)
		return
	case r.Method != http.MethodGet:
		writeAPIError(w, http.StatusMethodNotAllowed, "use GET for "+name)
		return
	case name == "user" && arg != "":
		reply, err = dir.User(ctx, svc.key, arg)
	case name == "subscriptions" && arg != "":
		reply, err = withPK(arg, func(pk int64) (any, error) { return dir.SubscriptionLabels(ctx, svc.key, pk) })
	case name == "orga" && arg != "":
		reply, err = withPK(arg, func(pk int64) (any, error) { return dir.Orga(ctx, svc.key, pk) })
	case name == "orgas" && arg == "":
		reply, err = apiOrgas(dir.Orgas(ctx, svc.key))
	case name == "members" && arg == "":
		var members []APIUser
		members, err = dir.Members(ctx, svc.key)
		reply = map[string]any{"members": members}
	default:
		writeAPIError(w, http.StatusNotFound, "unknown API call "+call)
		return
	}
	p.writeAPIReply(w, r, reply, err)
}

func withPK(arg string, fn func(int64) (any, error)) (any, error) {
	pk, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	return fn(pk)
}

func apiOrgas(orgas []Orga, err error) (any, error) {
	data := make([]map[string]any, 0, len(orgas))
	for _, o := range orgas {
		data = append(data, map[string]any{"id": o.PK, "name": o.Name, "codops": o.Codops})
	}
	return map[string]any{"data": data}, err
}

func (p *Proxy) writeAPIReply(w http.ResponseWriter, r *http.Request, reply any, err error) {
	if errors.Is(err, errNotFound) {
		writeAPIError(w, http.StatusNotFound, "not found")
		return
	}
	if err != nil {
		p.logger.Error("proxy: API call failed", "request_id", requestID(r.Context()), "path", r.URL.Path, "error", err)
		writeAPIError(w, http.StatusInternalServerError, "internal error")
		return
	}
	if o, ok := reply.(Orga); ok {
		reply = map[string]any{"pk": o.PK, "name": o.Name, "codops": o.Codops}
	}
	writeJSON(w, http.StatusOK, reply)
}

func writeAPIError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
