package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Opener opens a store from a data source name.
type Opener func(ctx context.Context, dsn string) (Store, error)

var (
	driversMu sync.RWMutex
	drivers   = map[string]Opener{}
)

// Register makes an implementation available to Open under a driver name,
// "sqlite" or "postgres". The implementations register themselves when
// their package is imported. Registering a name twice panics.
func Register(driver string, open Opener) {
	driversMu.Lock()
	defer driversMu.Unlock()

	if _, dup := drivers[driver]; dup {
		panic("store: driver " + driver + " registered twice")
	}
	drivers[driver] = open
}

// Open opens the store that dsn names: a postgres:// or postgresql:// URL
// opens PostgreSQL, and anything else is the path of an SQLite file,
// optionally written with a sqlite: prefix. The implementation's package
// must be imported, for example with a blank import.
func Open(ctx context.Context, dsn string) (Store, error) {
	driver, name := ParseDSN(dsn)
	if name == "" {
		return nil, fmt.Errorf("store: opening store: data source name %q is empty", dsn)
	}

	driversMu.RLock()
	open, ok := drivers[driver]
	driversMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("store: opening store: driver %q is not registered (registered: %s)", driver, registered())
	}

	return open(ctx, name)
}

// ParseDSN returns the driver that dsn names and the name to pass to it.
func ParseDSN(dsn string) (driver, name string) {
	dsn = strings.TrimSpace(dsn)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "postgres", dsn
	}

	return "sqlite", strings.TrimPrefix(dsn, "sqlite:")
}

func registered() string {
	driversMu.RLock()
	defer driversMu.RUnlock()

	names := make([]string, 0, len(drivers))
	for name := range drivers {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
