// Package session holds the proxy's server-side browser sessions and the
// stores that keep them.
package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"
)

// ErrNotFound is returned by a Store when no live session has the id.
var ErrNotFound = errors.New("session: not found")

// Session is the server-side state of one browser.
type Session struct {
	// ID is the random session id that the signed cookie carries.
	ID string `json:"-"`

	// UserMode is the simulated user of standalone mode: ano, log, mem or
	// adm.
	UserMode string `json:"user_mode,omitempty"`

	// OrgaPK, OrgaName and OrgaCodops are the current organisation; OrgaPK
	// 0 means none was chosen.
	OrgaPK     int64  `json:"orga_pk,omitempty"`
	OrgaName   string `json:"orga_name,omitempty"`
	OrgaCodops string `json:"orga_codops,omitempty"`

	// UserPK is the logged-in account of hosted mode; 0 means anonymous.
	UserPK int64 `json:"user_pk,omitempty"`

	// ServiceOrgas is the current organisation per service key, in hosted
	// mode where each service remembers its own.
	ServiceOrgas map[string]int64 `json:"service_orgas,omitempty"`

	// CSRFToken is the token that unsafe requests must carry.
	CSRFToken string `json:"csrf_token"`

	// Values holds the values services set with EbuIo-PlugIt-SetSession
	// headers, by service key and then by value key.
	Values map[string]map[string]string `json:"values,omitempty"`
}

// New returns a session with a fresh id and CSRF token.
func New() *Session {
	return &Session{ID: RandomToken(), CSRFToken: RandomToken()}
}

// SetValue stores a service's session value.
func (s *Session) SetValue(service, key, value string) {
	if s.Values == nil {
		s.Values = map[string]map[string]string{}
	}
	if s.Values[service] == nil {
		s.Values[service] = map[string]string{}
	}
	s.Values[service][key] = value
}

// Store keeps sessions between requests. Implementations are safe for
// concurrent use.
type Store interface {
	// Load returns the session with the id, or ErrNotFound.
	Load(ctx context.Context, id string) (*Session, error)
	// Save stores the session for ttl.
	Save(ctx context.Context, s *Session, ttl time.Duration) error
	// Delete removes the session; deleting a missing one is no error.
	Delete(ctx context.Context, id string) error
}

// RandomToken returns 32 random bytes, base64url-encoded (43 characters).
func RandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error.
	return base64.RawURLEncoding.EncodeToString(b)
}
