package platform

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"
)

type adminUser struct {
	store.User
	Orgas string
}

type adminGroup struct {
	Key, Name, Codops string
	Members           string
}

type adminData struct {
	CSRFToken string
	Message   string
	Failed    bool
	Users     []adminUser
	Orgas     []adminGroup
	Services  []adminGroup
}

// overview renders the administration page.
func (a *Admin) overview(ctx context.Context, csrfToken, message string, failed bool) (proxy.AdminPage, string, error) {
	data := adminData{CSRFToken: csrfToken, Message: message, Failed: failed}
	users, err := a.store.ListUsers(ctx)
	if err != nil {
		return proxy.AdminPage{}, "", err
	}
	for _, u := range users {
		orgas, err := a.store.ListUserOrgas(ctx, u.PK)
		if err != nil {
			return proxy.AdminPage{}, "", err
		}
		names := make([]string, 0, len(orgas))
		for _, o := range orgas {
			names = append(names, o.Orga.Name+ownerMark(o.IsOwner))
		}
		data.Users = append(data.Users, adminUser{User: u, Orgas: strings.Join(names, ", ")})
	}

	if data.Orgas, err = a.orgaGroups(ctx); err != nil {
		return proxy.AdminPage{}, "", err
	}
	if data.Services, err = a.serviceGroups(ctx); err != nil {
		return proxy.AdminPage{}, "", err
	}

	var content bytes.Buffer
	if err := adminTemplates.ExecuteTemplate(&content, "admin", data); err != nil {
		return proxy.AdminPage{}, "", fmt.Errorf("platform: rendering the administration page: %w", err)
	}
	return proxy.AdminPage{Title: "Administration", Content: template.HTML(content.String())}, "", nil
}

func ownerMark(owner bool) string {
	if owner {
		return " (owner)"
	}
	return ""
}

func (a *Admin) orgaGroups(ctx context.Context) ([]adminGroup, error) {
	orgas, err := a.store.ListOrgas(ctx)
	if err != nil {
		return nil, err
	}
	groups := make([]adminGroup, 0, len(orgas))
	for _, o := range orgas {
		members, err := a.store.ListOrgaMembers(ctx, o.PK)
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(members))
		for _, m := range members {
			names = append(names, m.User.Username+ownerMark(m.IsOwner))
		}
		groups = append(groups, adminGroup{Name: o.Name, Codops: o.Codops, Members: listOrNone(names)})
	}
	return groups, nil
}

func (a *Admin) serviceGroups(ctx context.Context) ([]adminGroup, error) {
	services, err := a.store.ListServices(ctx)
	if err != nil {
		return nil, err
	}
	groups := make([]adminGroup, 0, len(services))
	for _, s := range services {
		members, err := a.store.ListServiceMembers(ctx, s.Key)
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(members))
		for _, m := range members {
			mark := ""
			if m.IsAdmin {
				mark = " (admin)"
			}
			names = append(names, m.User.Username+mark)
		}
		groups = append(groups, adminGroup{Key: s.Key, Name: s.Name, Members: listOrNone(names)})
	}
	return groups, nil
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "no members"
	}
	return strings.Join(names, ", ")
}
