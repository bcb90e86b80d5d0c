package platform

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"
)

// Directory serves the proxy API's lookups from the store. A service sees its own
// members, and the members of the organisations it is limited to; it sees
// the organisations it is limited to, or all when it is not limited.
type Directory struct {
	store store.Store
	now   func() time.Time
}

var _ proxy.Directory = (*Directory)(nil)

// NewDirectory returns the API directory on st.
func NewDirectory(st store.Store) *Directory {
	return &Directory{store: st, now: time.Now}
}

// User returns a user the service is entitled to see, by pk or UUID.
func (d *Directory) User(ctx context.Context, serviceKey, ref string) (proxy.APIUser, error) {
	u, err := d.lookup(ctx, ref)
	if err != nil {
		return proxy.APIUser{}, err
	}
	entitled, err := d.entitled(ctx, serviceKey, u.PK)
	if err != nil {
		return proxy.APIUser{}, err
	}
	if !entitled {
		return proxy.APIUser{}, fmt.Errorf("platform: user %d is not visible to service %s: %w",
			u.PK, serviceKey, proxy.ErrNotFound)
	}
	return d.apiUser(ctx, serviceKey, u)
}

func (d *Directory) lookup(ctx context.Context, ref string) (store.User, error) {
	var u store.User
	var err error
	if pk, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		u, err = d.store.UserByPK(ctx, pk)
	} else {
		u, err = d.store.UserByUUID(ctx, ref)
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.IsActive) {
		return store.User{}, fmt.Errorf("platform: no user %q: %w", ref, proxy.ErrNotFound)
	}
	return u, err
}

// entitled reports whether the service may see the user: a member of the
// service, or of one of the organisations the service is limited to.
func (d *Directory) entitled(ctx context.Context, serviceKey string, pk int64) (bool, error) {
	_, err := d.store.ServiceMembership(ctx, serviceKey, pk)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}

	allowed, err := d.store.ListAllowedOrgas(ctx, serviceKey)
	if err != nil || len(allowed) == 0 {
		return false, ignoreNotFound(err)
	}
	mine, err := d.store.ListUserOrgas(ctx, pk)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	for _, a := range allowed {
		for _, m := range mine {
			if a.PK == m.Orga.PK {
				return true, nil
			}
		}
	}
	return false, nil
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

func (d *Directory) apiUser(ctx context.Context, serviceKey string, u store.User) (proxy.APIUser, error) {
	user := proxyUser(u)
	isAdmin, err := d.store.ServiceMembership(ctx, serviceKey, u.PK)
	if err == nil {
		user.Member, user.Admin = true, isAdmin
	} else if !errors.Is(err, store.ErrNotFound) {
		return proxy.APIUser{}, err
	}
	if user.SubscriptionLabels, err = d.store.ActiveSubscriptionLabels(ctx, serviceKey, u.PK, d.now()); err != nil {
		return proxy.APIUser{}, err
	}

	orgas, err := d.store.ListUserOrgas(ctx, u.PK)
	if err != nil {
		return proxy.APIUser{}, err
	}
	out := proxy.APIUser{User: user}
	for _, o := range orgas {
		out.Orgas = append(out.Orgas, proxy.APIUserOrga{Orga: proxyOrga(o.Orga), IsAdmin: o.IsOwner})
	}
	return out, nil
}

// SubscriptionLabels returns a visible user's active labels.
func (d *Directory) SubscriptionLabels(ctx context.Context, serviceKey string, pk int64) ([]string, error) {
	if _, err := d.User(ctx, serviceKey, strconv.FormatInt(pk, 10)); err != nil {
		return nil, err
	}
	return d.store.ActiveSubscriptionLabels(ctx, serviceKey, pk, d.now())
}

// Orga returns an organisation the service may see.
func (d *Directory) Orga(ctx context.Context, serviceKey string, pk int64) (proxy.Orga, error) {
	orgas, err := d.Orgas(ctx, serviceKey)
	if err != nil {
		return proxy.Orga{}, err
	}
	for _, o := range orgas {
		if o.PK == pk {
			return o, nil
		}
	}
	return proxy.Orga{}, fmt.Errorf("platform: no organisation %d for service %s: %w", pk, serviceKey, proxy.ErrNotFound)
}

// Orgas returns the organisations the service is limited to, or all.
func (d *Directory) Orgas(ctx context.Context, serviceKey string) ([]proxy.Orga, error) {
	orgas, err := d.store.ListAllowedOrgas(ctx, serviceKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if len(orgas) == 0 {
		if orgas, err = d.store.ListOrgas(ctx); err != nil {
			return nil, err
		}
	}
	list := make([]proxy.Orga, 0, len(orgas))
	for _, o := range orgas {
		list = append(list, proxyOrga(o))
	}
	return list, nil
}

// Members returns the service's members.
func (d *Directory) Members(ctx context.Context, serviceKey string) ([]proxy.APIUser, error) {
	members, err := d.store.ListServiceMembers(ctx, serviceKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	list := make([]proxy.APIUser, 0, len(members))
	for _, m := range members {
		u, err := d.apiUser(ctx, serviceKey, m.User)
		if err != nil {
			return nil, err
		}
		list = append(list, u)
	}
	return list, nil
}
