package platform

import (
	"context"
	"fmt"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"
)

// StandaloneServiceKey is the key under which the standalone proxy's one
// service keeps its members in the account store.
const StandaloneServiceKey = "standalone"

// UseAccounts gives a standalone proxy's configuration the real accounts
// of the store at dsn instead of the simulated users, so that a developer
// can test with real logins. Members of the service are those of the
// store's service "standalone", which it creates when missing. It returns
// the store to close when the proxy stops.
func UseAccounts(ctx context.Context, cfg *proxy.Config, dsn string) (store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("platform: opening store %s: %w", redactDSN(dsn), err)
	}
	if _, err := st.ServiceByKey(ctx, StandaloneServiceKey); err != nil {
		err = st.PutService(ctx, store.Service{Key: StandaloneServiceKey, Name: cfg.ServiceName, URL: cfg.ServiceURL})
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("platform: storing the standalone service: %w", err)
		}
	}

	svc := accounts.New(st, accounts.Config{AllowRegistration: true, Logger: cfg.Logger})
	cfg.Accounts = NewAccounts(st, svc, nil)
	cfg.Directory = NewDirectory(st)
	cfg.PasswordResetOff = true
	return st, nil
}
