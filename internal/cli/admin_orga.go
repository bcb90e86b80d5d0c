package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/plugit-go/plugit/internal/store"
)

func runOrgaCreate(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "orga", "create", "--name N --codops C")
	var orga store.Orga
	fs.StringVar(&orga.Name, "name", "", "name of the organisation")
	fs.StringVar(&orga.Codops, "codops", "", "short code of the organisation")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required([2]string{"name", orga.Name}, [2]string{"codops", orga.Codops}); err != nil {
		return err
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	if err := st.CreateOrga(ctx, &orga); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "created organisation %s (pk %d, codops %s)\n", orga.Name, orga.PK, orga.Codops)
	return nil
}

func runOrgaList(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "orga", "list", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	orgas, err := st.ListOrgas(ctx)
	if err != nil {
		return err
	}

	table := newTable(a.stdout)
	fmt.Fprintln(table, "PK\tCODOPS\tNAME")
	for _, o := range orgas {
		fmt.Fprintf(table, "%d\t%s\t%s\n", o.PK, o.Codops, o.Name)
	}
	return table.Flush()
}

func runOrgaAddMember(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "orga", "add-member", "--orga PK --user USERNAME [--owner]")
	orgaPK := fs.Int64("orga", 0, "PK of the organisation, as orga list shows it")
	username := fs.String("user", "", "username of the account")
	owner := fs.Bool("owner", false, "make the account an owner of the organisation")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required([2]string{"user", *username}); err != nil {
		return err
	}
	if *orgaPK <= 0 {
		return fmt.Errorf("%w: missing --orga, the positive PK of an organisation", errUsage)
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	orga, err := st.OrgaByPK(ctx, *orgaPK)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: no organisation has the PK %d", errUsage, *orgaPK)
	}
	if err != nil {
		return err
	}
	user, err := userByUsername(ctx, st, *username)
	if err != nil {
		return err
	}

	if err := st.PutOrgaMember(ctx, orga.PK, user.PK, *owner); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "user %s is a member of %s (owner: %s)\n", user.Username, orga.Name, yesNo(*owner))
	return nil
}
