package platform

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"
)

//go:embed templates
var templateFiles embed.FS

var adminTemplates = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// Admin is the administration area: users, organisations and service
// memberships. The proxy lets only platform administrators in and checks
// CSRF tokens before calling it.
type Admin struct {
	store    store.Store
	accounts *accounts.Service
}

var _ proxy.AdminHandler = (*Admin)(nil)

// NewAdmin returns the administration area on st.
func NewAdmin(st store.Store, svc *accounts.Service) *Admin {
	return &Admin{store: st, accounts: svc}
}

// ServeAdmin shows the overview on GET and applies a form on POST, then
// redirects to the overview with a message.
func (a *Admin) ServeAdmin(r *http.Request, csrfToken string) (proxy.AdminPage, string, error) {
	if r.Method != http.MethodPost {
		return a.overview(r.Context(), csrfToken, r.URL.Query().Get("message"), r.URL.Query().Get("failed") != "")
	}

	action := strings.TrimPrefix(r.URL.Path, "/admin/")
	message, err := a.apply(r.Context(), action, r)
	if err != nil {
		var input *proxy.InputError
		if !errors.As(err, &input) {
			return proxy.AdminPage{}, "", err
		}
		return proxy.AdminPage{}, "/admin/?failed=1&message=" + url.QueryEscape(input.Message), nil
	}
	return proxy.AdminPage{}, "/admin/?message=" + url.QueryEscape(message), nil
}

func (a *Admin) apply(ctx context.Context, action string, r *http.Request) (string, error) {
	form := r.PostForm
	switch action {
	case "users":
		u, err := a.accounts.CreateAccount(ctx, accounts.NewAccount{
			Username: form.Get("username"), Email: form.Get("email"), Password: form.Get("password"),
			IsPlatformAdmin: form.Get("platform_admin") != "",
		})
		if err != nil {
			return "", inputError(err)
		}
		return "User " + u.Username + " created.", nil
	case "orgas":
		return a.createOrga(ctx, strings.TrimSpace(form.Get("name")), strings.TrimSpace(form.Get("codops")))
	case "orga-members":
		return a.addOrgaMember(ctx, form.Get("codops"), form.Get("username"), form.Get("owner") != "")
	case "service-members":
		return a.addServiceMember(ctx, form.Get("service"), form.Get("username"), form.Get("admin") != "")
	}
	return "", &proxy.InputError{Message: "Unknown administration action " + action + "."}
}

func (a *Admin) createOrga(ctx context.Context, name, codops string) (string, error) {
	if name == "" || codops == "" {
		return "", &proxy.InputError{Message: "An organisation needs a name and a codops."}
	}
	err := a.store.CreateOrga(ctx, &store.Orga{Name: name, Codops: codops})
	if errors.Is(err, store.ErrConflict) {
		return "", &proxy.InputError{Message: "An organisation already has the codops " + codops + "."}
	}
	if err != nil {
		return "", err
	}
	return "Organisation " + name + " created.", nil
}

func (a *Admin) addOrgaMember(ctx context.Context, codops, username string, owner bool) (string, error) {
	orgas, err := a.store.ListOrgas(ctx)
	if err != nil {
		return "", err
	}
	user, err := a.userByName(ctx, username)
	if err != nil {
		return "", err
	}
	for _, o := range orgas {
		if o.Codops == codops {
			if err := a.store.PutOrgaMember(ctx, o.PK, user.PK, owner); err != nil {
				return "", err
			}
			return user.Username + " added to " + o.Name + ".", nil
		}
	}
	return "", &proxy.InputError{Message: "No organisation has the codops " + codops + "."}
}

func (a *Admin) addServiceMember(ctx context.Context, serviceKey, username string, admin bool) (string, error) {
	user, err := a.userByName(ctx, username)
	if err != nil {
		return "", err
	}
	err = a.store.PutServiceMember(ctx, serviceKey, user.PK, admin)
	if errors.Is(err, store.ErrNotFound) {
		return "", &proxy.InputError{Message: "No service has the key " + serviceKey + "."}
	}
	if err != nil {
		return "", err
	}
	return user.Username + " added to service " + serviceKey + ".", nil
}

func (a *Admin) userByName(ctx context.Context, username string) (store.User, error) {
	u, err := a.store.UserByUsername(ctx, strings.TrimSpace(username))
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, &proxy.InputError{Message: "No user is named " + username + "."}
	}
	return u, err
}
