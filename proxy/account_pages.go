package proxy

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/plugit-go/plugit/internal/session"
)

// accountForm is the data of the account pages.
type accountForm struct {
	CSRFToken  string
	Error      string
	Notice     string
	Next       string
	Username   string
	Email      string
	Token      string
	SignupOpen bool
	ResetOpen  bool
}

func (p *Proxy) accountRoutes(mux *http.ServeMux) {
	mux.Handle("/accounts/login", p.withSession(p.handleLogin))
	mux.Handle("POST /accounts/logout", p.withSession(p.handleLogout))
	mux.Handle("/accounts/signup", p.withSession(p.handleSignup))
	mux.Handle("/accounts/password", p.withSession(p.handlePassword))
	mux.Handle("/accounts/reset", p.withSession(p.handleReset))
	mux.Handle("/accounts/reset/confirm", p.withSession(p.handleResetConfirm))
}

// renderAccountPage writes one of the account pages.
func (p *Proxy) renderAccountPage(w http.ResponseWriter, r *http.Request, status int, name, title string,
	form accountForm) error {
	st := stateFrom(r.Context())
	form.CSRFToken = st.session.CSRFToken
	form.SignupOpen = !p.cfg.SignupClosed
	form.ResetOpen = !p.cfg.PasswordResetOff && p.cfg.PublicURL != ""
	var content bytes.Buffer
	if err := p.layouts.ExecuteTemplate(&content, name, form); err != nil {
		return fmt.Errorf("proxy: rendering %s: %w", name, err)
	}
	p.writeLayout(w, status, p.layoutData(r, title, template.HTML(content.String()), ""))
	return nil
}

// accountPOST checks the method and CSRF token of an account form; it
// reports false for GET, which shows the form.
func (p *Proxy) accountPOST(r *http.Request) (bool, error) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return false, nil
	case http.MethodPost:
		return true, p.checkCSRF(r)
	}
	return false, &httpError{status: http.StatusMethodNotAllowed, title: "Method not allowed",
		message: "This page accepts GET and POST only."}
}

func (p *Proxy) handleLogin(w http.ResponseWriter, r *http.Request) error {
	post, err := p.accountPOST(r)
	if err != nil {
		return err
	}
	form := accountForm{Next: safeNext(r.FormValue("next"))}
	if !post {
		return p.renderAccountPage(w, r, http.StatusOK, "login_content", "Log in", form)
	}

	form.Username = strings.TrimSpace(r.PostForm.Get("username"))
	pk, err := p.cfg.Accounts.Login(r.Context(), form.Username, r.PostForm.Get("password"), p.clientAddr(r).String())
	switch {
	case errors.Is(err, ErrInvalidCredentials):
		form.Error = "The username or password is wrong."
		return p.renderAccountPage(w, r, http.StatusUnauthorized, "login_content", "Log in", form)
	case errors.Is(err, ErrTooManyAttempts):
		form.Error = "Too many failed attempts. Wait a few minutes and try again."
		return p.renderAccountPage(w, r, http.StatusTooManyRequests, "login_content", "Log in", form)
	case err != nil:
		return err
	}

	if err := p.startLoggedInSession(w, r, pk); err != nil {
		return err
	}
	p.logger.Info("proxy: user logged in", "user_id", pk, "client_ip", p.clientAddr(r).String())
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
	return nil
}

// startLoggedInSession replaces the browser's session with a new one for
// the account: a new id and CSRF token, so that a session id planted
// before login is worthless after it.
func (p *Proxy) startLoggedInSession(w http.ResponseWriter, r *http.Request, pk int64) error {
	st := stateFrom(r.Context())
	old := st.session
	fresh := session.New()
	fresh.UserPK = pk
	fresh.Values = old.Values
	if err := p.saveSession(r.Context(), fresh); err != nil {
		return err
	}
	if err := p.sessions.Delete(r.Context(), old.ID); err != nil {
		p.logger.Warn("proxy: deleting the session replaced at login", "error", err)
	}
	st.session = fresh
	p.setSessionCookies(w, fresh)
	return nil
}

func (p *Proxy) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := p.checkCSRF(r); err != nil {
		return err
	}
	st := stateFrom(r.Context())
	if err := p.sessions.Delete(r.Context(), st.session.ID); err != nil {
		return err
	}
	fresh := session.New()
	if err := p.saveSession(r.Context(), fresh); err != nil {
		return err
	}
	p.setSessionCookies(w, fresh)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (p *Proxy) handleSignup(w http.ResponseWriter, r *http.Request) error {
	if p.cfg.SignupClosed {
		return &httpError{status: http.StatusNotFound, title: "Sign-up closed",
			message: "This platform does not let visitors create accounts. Ask an administrator for one."}
	}
	post, err := p.accountPOST(r)
	if err != nil {
		return err
	}
	form := accountForm{}
	if !post {
		return p.renderAccountPage(w, r, http.StatusOK, "signup_content", "Sign up", form)
	}

	form.Username = strings.TrimSpace(r.PostForm.Get("username"))
	form.Email = strings.TrimSpace(r.PostForm.Get("email"))
	pk, err := p.cfg.Accounts.SignUp(r.Context(), form.Username, form.Email, r.PostForm.Get("password"))
	var inputErr *InputError
	switch {
	case errors.As(err, &inputErr):
		form.Error = inputErr.Message
		return p.renderAccountPage(w, r, http.StatusBadRequest, "signup_content", "Sign up", form)
	case errors.Is(err, ErrSignupClosed):
		form.Error = "Sign-up is closed on this platform."
		return p.renderAccountPage(w, r, http.StatusForbidden, "signup_content", "Sign up", form)
	case err != nil:
		return err
	}

	if err := p.startLoggedInSession(w, r, pk); err != nil {
		return err
	}
	p.logger.Info("proxy: account created", "user_id", pk)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (p *Proxy) handlePassword(w http.ResponseWriter, r *http.Request) error {
	st := stateFrom(r.Context())
	if st.user.Anonymous() {
		http.Redirect(w, r, "/accounts/login?next=/accounts/password", http.StatusSeeOther)
		return nil
	}
	post, err := p.accountPOST(r)
	if err != nil {
		return err
	}
	form := accountForm{}
	if !post {
		return p.renderAccountPage(w, r, http.StatusOK, "password_content", "Change password", form)
	}

	err = p.cfg.Accounts.ChangePassword(r.Context(), st.user.PK, r.PostForm.Get("old_password"),
		r.PostForm.Get("new_password"))
	var inputErr *InputError
	switch {
	case errors.Is(err, ErrInvalidCredentials):
		form.Error = "The current password is wrong."
		return p.renderAccountPage(w, r, http.StatusBadRequest, "password_content", "Change password", form)
	case errors.As(err, &inputErr):
		form.Error = inputErr.Message
		return p.renderAccountPage(w, r, http.StatusBadRequest, "password_content", "Change password", form)
	case err != nil:
		return err
	}
	form.Notice = "Your password was changed."
	return p.renderAccountPage(w, r, http.StatusOK, "password_content", "Change password", form)
}
