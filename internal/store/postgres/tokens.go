package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/plugit-go/plugit/internal/store"
)

// AddSubscription stores a subscription, replacing the end time of the same
// label.
func (d *DB) AddSubscription(ctx context.Context, sub store.Subscription) error {
	if err := sub.Validate(); err != nil {
		return fmt.Errorf("postgres: adding subscription: %w", err)
	}

	var until *time.Time
	if !sub.Until.IsZero() {
		until = &sub.Until
	}

	_, err := d.pool.Exec(ctx, `INSERT INTO subscriptions (service_key, user_pk, label, until) VALUES ($1, $2, $3, $4)
		ON CONFLICT (service_key, user_pk, label) DO UPDATE SET until = excluded.until`,
		sub.ServiceKey, sub.UserPK, sub.Label, until)
	if err != nil {
		return fmt.Errorf("postgres: adding subscription %q of user %d to service %q: %w",
			sub.Label, sub.UserPK, sub.ServiceKey, mapError(err))
	}
	return nil
}

// ActiveSubscriptionLabels returns the labels of the user's subscriptions
// to the service that have not ended at now, sorted.
func (d *DB) ActiveSubscriptionLabels(ctx context.Context, serviceKey string, userPK int64,
	now time.Time) ([]string, error) {
	// COLLATE "C" sorts by bytes, as SQLite does.
	labels, err := queryList(ctx, d, pgx.RowTo[string], `SELECT label FROM subscriptions
		WHERE service_key = $1 AND user_pk = $2 AND (until IS NULL OR until > $3)
		ORDER BY label COLLATE "C"`, serviceKey, userPK, now)
	if err != nil {
		return nil, fmt.Errorf("postgres: listing subscriptions of user %d to service %q: %w", userPK, serviceKey, err)
	}
	return labels, nil
}

// CreateResetToken stores the SHA-256 of a password reset token.
func (d *DB) CreateResetToken(ctx context.Context, userPK int64, token string, expiresAt time.Time) error {
	_, err := d.pool.Exec(ctx, "INSERT INTO password_reset_tokens (token_hash, user_pk, expires_at) VALUES ($1, $2, $3)",
		store.TokenHash(token), userPK, expiresAt)
	if err != nil {
		return fmt.Errorf("postgres: creating password reset token of user %d: %w", userPK, mapError(err))
	}
	return nil
}

// ConsumeResetToken returns the user of a live reset token and deletes
// every reset token of that user, along with every expired token.
func (d *DB) ConsumeResetToken(ctx context.Context, token string, now time.Time) (int64, error) {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: consuming password reset token: %w", err)
	}
	defer tx.Rollback(ctx)

	// Of two transactions deleting the same token, only one gets its row.
	var userPK int64
	var expiresAt time.Time
	err = tx.QueryRow(ctx, "DELETE FROM password_reset_tokens WHERE token_hash = $1 RETURNING user_pk, expires_at",
		store.TokenHash(token)).Scan(&userPK, &expiresAt)
	if err != nil {
		return 0, fmt.Errorf("postgres: consuming password reset token: %w", mapError(err))
	}

	// A used token ends the user's other tokens, and expired tokens of
	// every user go as well.
	live := expiresAt.After(now)
	_, err = tx.Exec(ctx, "DELETE FROM password_reset_tokens WHERE expires_at <= $1 OR ($2 AND user_pk = $3)",
		now, live, userPK)
	if err != nil {
		return 0, fmt.Errorf("postgres: deleting password reset tokens: %w", err)
	}

	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("postgres: consuming password reset token: %w", err)
	}

	if !live {
		return 0, fmt.Errorf("postgres: consuming password reset token: token expired at %s: %w",
			expiresAt.UTC().Format(time.RFC3339), store.ErrNotFound)
	}
	return userPK, nil
}
