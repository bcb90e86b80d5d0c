package proxy

import (
	"context"
	"errors"
)

// resolveUser sets the request's user, organisations and current
// organisation: the simulated user of the session, or its logged-in
// account when the proxy has real accounts.
func (p *Proxy) resolveUser(ctx context.Context, st *requestState) error {
	sess, svc := st.session, st.service
	if p.cfg.Accounts == nil {
		st.user = simulatedUser(sess.UserMode)
		if !st.user.Anonymous() {
			st.orgas = simulatedOrgas
			if svc != nil && svc.orgaMode {
				st.orga = currentOrga(sess)
			}
		}
		return nil
	}

	st.user = User{}
	if sess.UserPK == 0 {
		return nil
	}

	orgas, err := p.cfg.Accounts.Orgas(ctx, sess.UserPK)
	if errors.Is(err, ErrUnknownAccount) {
		return p.forgetUser(ctx, st)
	}
	if err != nil {
		return err
	}
	st.orgas = orgas

	serviceKey := ""
	var orga *Orga
	if svc != nil {
		serviceKey = svc.key
		orga = chooseOrga(orgas, sess.ServiceOrgas[svc.key])
	}
	orgaPK := int64(0)
	if orga != nil {
		orgaPK = orga.PK
	}

	user, err := p.cfg.Accounts.User(ctx, sess.UserPK, serviceKey, orgaPK)
	if errors.Is(err, ErrUnknownAccount) {
		return p.forgetUser(ctx, st)
	}
	if err != nil {
		return err
	}
	st.user = user
	if svc != nil && svc.orgaMode {
		st.orga = orga
	}
	return nil
}

// chooseOrga returns the organisation pk among orgas, else the first one,
// else nil.
func chooseOrga(orgas []Orga, pk int64) *Orga {
	for i := range orgas {
		if orgas[i].PK == pk {
			return &orgas[i]
		}
	}
	if len(orgas) > 0 {
		return &orgas[0]
	}
	return nil
}

// forgetUser logs out a session whose account is gone.
func (p *Proxy) forgetUser(ctx context.Context, st *requestState) error {
	st.session.UserPK = 0
	st.user = User{}
	return p.saveSession(ctx, st.session)
}
