package proxy

import (
	"context"
	"errors"
	"net/http"

	"github.com/plugit-go/plugit/internal/session"
)

// sessionCookie is the name of the cookie carrying the signed session id.
const sessionCookie = "plugit_session"

// csrfCookie is the cookie carrying the CSRF token for scripts, under
// Django's name.
const csrfCookie = "csrftoken"

// requestState is the proxy's state of one browser request.
type requestState struct {
	session *session.Session
	user    User
	orga    *Orga
	service *serviceState
	// upstream is the deployment of the service that serves this user.
	upstream *upstream

	// orgas are the organisations the user may switch to.
	orgas []Orga

	// multipart is the browser's multipart body after the CSRF check read
	// its first fields.
	multipart *pendingMultipart
}

type stateKey struct{}

func stateFrom(ctx context.Context) *requestState {
	st, _ := ctx.Value(stateKey{}).(*requestState)
	return st
}

// withSession loads the browser's session, or starts one, and resolves
// the current user and organisation before calling next.
func (p *Proxy) withSession(next func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := p.loadSession(w, r)
		if err != nil {
			p.fail(w, r, err)
			return
		}

		st := stateFrom(r.Context())
		if st == nil {
			st = &requestState{}
			r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		}
		st.session = sess
		if err := p.resolveUser(r.Context(), st); err != nil {
			p.fail(w, r, err)
			return
		}
		if svc := st.service; svc != nil {
			st.upstream = svc.pickUpstream(st)
			p.observeUpstream(r, st)
		}

		if err := next(w, r); err != nil {
			p.fail(w, r, err)
		}
	})
}

// loadSession returns the session of the browser's cookie, or a new saved
// session with its cookies set on w.
func (p *Proxy) loadSession(w http.ResponseWriter, r *http.Request) (*session.Session, error) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if id, ok := p.signer.Verify(c.Value); ok {
			sess, err := p.sessions.Load(r.Context(), id)
			if err == nil {
				return sess, nil
			}
			if !errors.Is(err, session.ErrNotFound) {
				// A session that can't be read must not lock the browser
				// out: it gets a new one.
				p.logger.Error("proxy: loading session failed, starting a new one",
					"request_id", requestID(r.Context()), "error", err)
			}
		}
	}

	sess := session.New()
	sess.UserMode = "ano"
	if err := p.saveSession(r.Context(), sess); err != nil {
		return nil, err
	}

	p.setSessionCookies(w, sess)
	return sess, nil
}

// setSessionCookies sets the signed session cookie and the CSRF cookie.
func (p *Proxy) setSessionCookies(w http.ResponseWriter, sess *session.Session) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: p.signer.Sign(sess.ID), Path: "/",
		HttpOnly: true, Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
		MaxAge: int(sessionTTL.Seconds()),
	})
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: sess.CSRFToken, Path: "/",
		Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
		MaxAge: int(sessionTTL.Seconds()),
	})
}

func isNotFound(err error) bool {
	return errors.Is(err, session.ErrNotFound)
}

func (p *Proxy) saveSession(ctx context.Context, sess *session.Session) error {
	return p.sessions.Save(ctx, sess, sessionTTL)
}

// currentOrga returns the session's organisation, the default simulated
// one when none was chosen.
func currentOrga(sess *session.Session) *Orga {
	if sess.OrgaPK == 0 {
		o := simulatedOrgas[0]
		return &o
	}
	return &Orga{PK: sess.OrgaPK, Name: sess.OrgaName, Codops: sess.OrgaCodops}
}
