package proxy

import (
	"errors"
	"net/http"
	"strings"
)

func (p *Proxy) handleReset(w http.ResponseWriter, r *http.Request) error {
	post, err := p.accountPOST(r)
	if err != nil {
		return err
	}
	form := accountForm{}
	if !post {
		return p.renderAccountPage(w, r, http.StatusOK, "reset_content", "Reset password", form)
	}

	if p.cfg.PublicURL == "" {
		return errors.New("proxy: password reset needs the proxy's public URL")
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	resetURL := p.cfg.PublicURL + "accounts/reset/confirm"
	err = p.cfg.Accounts.StartPasswordReset(r.Context(), email, resetURL)
	if errors.Is(err, ErrMailNotConfigured) {
		form.Error = "Password reset is not available on this platform, because it sends no mail. " +
			"Ask an administrator to set your password."
		return p.renderAccountPage(w, r, http.StatusServiceUnavailable, "reset_content", "Reset password", form)
	}
	if err != nil {
		return err
	}
	form.Notice = "If an account has this address, a reset link is on its way. It is valid for one hour."
	return p.renderAccountPage(w, r, http.StatusOK, "reset_content", "Reset password", form)
}

func (p *Proxy) handleResetConfirm(w http.ResponseWriter, r *http.Request) error {
	post, err := p.accountPOST(r)
	if err != nil {
		return err
	}
	form := accountForm{Token: r.FormValue("token")}
	if form.Token == "" {
		return badRequest("The reset link has no token. Open the link from the e-mail again.")
	}
	if !post {
		return p.renderAccountPage(w, r, http.StatusOK, "reset_content", "Reset password", form)
	}

	err = p.cfg.Accounts.CompletePasswordReset(r.Context(), form.Token, r.PostForm.Get("new_password"))
	var inputErr *InputError
	switch {
	case errors.Is(err, ErrInvalidResetToken):
		form.Token = ""
		form.Error = "This reset link is wrong, used or expired. Ask for a new one."
		return p.renderAccountPage(w, r, http.StatusBadRequest, "reset_content", "Reset password", form)
	case errors.As(err, &inputErr):
		form.Error = inputErr.Message
		return p.renderAccountPage(w, r, http.StatusBadRequest, "reset_content", "Reset password", form)
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/accounts/login", http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a path on this site, else "/": a login
// link can't send the user to another site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	return next
}
