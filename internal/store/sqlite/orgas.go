package sqlite

import (
	"context"
	"fmt"

	"github.com/plugit-go/plugit/internal/store"
)

func scanOrga(row scanner) (store.Orga, error) {
	var o store.Orga
	if err := row.Scan(&o.PK, &o.Name, &o.Codops); err != nil {
		return store.Orga{}, mapError(err)
	}
	return o, nil
}

// CreateOrga stores a new organisation and sets its PK.
func (d *DB) CreateOrga(ctx context.Context, o *store.Orga) error {
	err := d.db.QueryRowContext(ctx, "INSERT INTO orgas (name, codops) VALUES (?, ?) RETURNING pk",
		o.Name, o.Codops).Scan(&o.PK)
	if err != nil {
		return fmt.Errorf("sqlite: creating organisation %q: %w", o.Name, mapError(err))
	}
	return nil
}

// OrgaByPK returns the organisation with the PK.
func (d *DB) OrgaByPK(ctx context.Context, pk int64) (store.Orga, error) {
	o, err := scanOrga(d.db.QueryRowContext(ctx, "SELECT pk, name, codops FROM orgas WHERE pk = ?", pk))
	if err != nil {
		return store.Orga{}, fmt.Errorf("sqlite: getting organisation %d: %w", pk, err)
	}
	return o, nil
}

// ListOrgas returns every organisation, by PK.
func (d *DB) ListOrgas(ctx context.Context) ([]store.Orga, error) {
	orgas, err := queryList(ctx, d.db, scanOrga, "SELECT pk, name, codops FROM orgas ORDER BY pk")
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing organisations: %w", err)
	}
	return orgas, nil
}

// DeleteOrga deletes the organisation; foreign keys delete its
// memberships and service permissions.
func (d *DB) DeleteOrga(ctx context.Context, pk int64) error {
	if err := d.execOne(ctx, "DELETE FROM orgas WHERE pk = ?", pk); err != nil {
		return fmt.Errorf("sqlite: deleting organisation %d: %w", pk, err)
	}
	return nil
}

// PutOrgaMember adds the user to the organisation or updates its owner
// flag.
func (d *DB) PutOrgaMember(ctx context.Context, orgaPK, userPK int64, isOwner bool) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO orga_members (orga_pk, user_pk, is_owner) VALUES (?, ?, ?)
		ON CONFLICT (orga_pk, user_pk) DO UPDATE SET is_owner = excluded.is_owner`,
		orgaPK, userPK, isOwner)
	if err != nil {
		return fmt.Errorf("sqlite: adding user %d to organisation %d: %w", userPK, orgaPK, mapError(err))
	}
	return nil
}

// DeleteOrgaMember removes the user from the organisation.
func (d *DB) DeleteOrgaMember(ctx context.Context, orgaPK, userPK int64) error {
	err := d.execOne(ctx, "DELETE FROM orga_members WHERE orga_pk = ? AND user_pk = ?", orgaPK, userPK)
	if err != nil {
		return fmt.Errorf("sqlite: removing user %d from organisation %d: %w", userPK, orgaPK, err)
	}
	return nil
}

// ListOrgaMembers returns the members of the organisation, by user PK.
func (d *DB) ListOrgaMembers(ctx context.Context, orgaPK int64) ([]store.OrgaMember, error) {
	scan := func(row scanner) (store.OrgaMember, error) {
		var m store.OrgaMember
		var err error
		m.User, err = scanUserWith(row, &m.IsOwner)
		return m, err
	}

	members, err := queryList(ctx, d.db, scan, "SELECT "+prefixedUserColumns+`, m.is_owner
		FROM orga_members m JOIN users u ON u.pk = m.user_pk
		WHERE m.orga_pk = ? ORDER BY u.pk`, orgaPK)
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing members of organisation %d: %w", orgaPK, err)
	}
	return members, nil
}

// ListUserOrgas returns the organisations the user belongs to, by PK.
func (d *DB) ListUserOrgas(ctx context.Context, userPK int64) ([]store.UserOrga, error) {
	scan := func(row scanner) (store.UserOrga, error) {
		var uo store.UserOrga
		err := row.Scan(&uo.Orga.PK, &uo.Orga.Name, &uo.Orga.Codops, &uo.IsOwner)
		return uo, mapError(err)
	}

	orgas, err := queryList(ctx, d.db, scan, `SELECT o.pk, o.name, o.codops, m.is_owner
		FROM orga_members m JOIN orgas o ON o.pk = m.orga_pk
		WHERE m.user_pk = ? ORDER BY o.pk`, userPK)
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing organisations of user %d: %w", userPK, err)
	}
	return orgas, nil
}
