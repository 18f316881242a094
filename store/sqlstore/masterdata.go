package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/fold"
	"github.com/avisera/avisera/store"
)

// searchKey is the folded text a list filter matches against.
func searchKey(parts ...string) string { return fold.String(strings.Join(parts, " ")) }

// upsert inserts or updates one row keyed by (tenant_id, id) and reports
// whether it was created. cols and args exclude tenant_id and id.
func (s *Store) upsert(ctx context.Context, table, tenantID, id string, cols []string, args ...any) (bool, error) {
	return s.upsertKey(ctx, table, []string{"tenant_id", "id"}, []any{tenantID, id}, cols, args...)
}

// upsertKey inserts or updates the row of table whose key columns hold
// keyArgs and reports whether it was created. cols and args exclude the key.
func (s *Store) upsertKey(ctx context.Context, table string, key []string, keyArgs []any, cols []string, args ...any) (bool, error) {
	where := ` WHERE ` + strings.Join(key, " = ? AND ") + ` = ?`
	var one int
	err := s.scanRow(ctx, []any{&one}, `SELECT 1 FROM `+table+where, keyArgs...)
	if err == nil {
		set := strings.Join(cols, " = ?, ") + " = ?"
		_, err = s.exec(ctx, `UPDATE `+table+` SET `+set+where, append(args, keyArgs...)...)
		return false, err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	all := append(append([]string{}, key...), cols...)
	_, err = s.exec(ctx, `INSERT INTO `+table+` (`+strings.Join(all, ", ")+`)
		VALUES (`+placeholders(len(all))+`)`, append(append([]any{}, keyArgs...), args...)...)
	return true, err
}

// listWhere builds the WHERE clause of a filtered keyset page by id.
func listWhere(tenantID string, p avisera.Page) (string, []any) {
	where, args := ` WHERE tenant_id = ?`, []any{tenantID}
	if q := fold.String(p.Q); q != "" {
		where += ` AND search LIKE ? ESCAPE '\'`
		args = append(args, likePattern(q))
	}
	if p.After != "" {
		where += ` AND id > ?`
		args = append(args, p.After)
	}
	return where + ` ORDER BY id LIMIT ?`, append(args, p.Limit)
}

// PutOrgUnit implements store.MasterStore.
func (s *Store) PutOrgUnit(ctx context.Context, tenantID string, o avisera.OrgUnit) (bool, error) {
	return s.upsert(ctx, "org_units", tenantID, o.ID,
		[]string{"parent_id", "name", "search", "time_zone", "language", "quiet_from", "quiet_to", "updated_at"},
		nullString(o.ParentID), o.Name, searchKey(o.ID, o.Name), o.TimeZone, o.Language, o.QuietFrom, o.QuietTo,
		o.UpdatedAt.UTC())
}

const orgUnitColumns = `id, COALESCE(parent_id, ''), name, time_zone, language, quiet_from, quiet_to, updated_at`

func scanOrgUnit(sc interface{ Scan(...any) error }) (avisera.OrgUnit, error) {
	var o avisera.OrgUnit
	err := sc.Scan(&o.ID, &o.ParentID, &o.Name, &o.TimeZone, &o.Language, &o.QuietFrom, &o.QuietTo, &o.UpdatedAt)
	return o, err
}

// GetOrgUnit implements store.MasterStore.
func (s *Store) GetOrgUnit(ctx context.Context, tenantID, id string) (avisera.OrgUnit, error) {
	o, err := scanOrgUnit(s.queryRow(ctx, `SELECT `+orgUnitColumns+` FROM org_units
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return o, s.wrap(err)
}

// ListOrgUnits implements store.MasterStore.
func (s *Store) ListOrgUnits(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.OrgUnit, error) {
	where, args := listWhere(tenantID, p)
	rows, err := s.query(ctx, `SELECT `+orgUnitColumns+` FROM org_units`+where, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOrgUnit)
}

// PutCustomer implements store.MasterStore.
func (s *Store) PutCustomer(ctx context.Context, tenantID string, c avisera.Customer) (bool, error) {
	return s.upsert(ctx, "customers", tenantID, c.ID,
		[]string{"name", "number", "org_unit_id", "search", "updated_at"},
		c.Name, c.Number, nullString(c.OrgUnitID), searchKey(c.ID, c.Name, c.Number), c.UpdatedAt.UTC())
}

const customerColumns = `id, name, number, COALESCE(org_unit_id, ''), updated_at`

func scanCustomer(sc interface{ Scan(...any) error }) (avisera.Customer, error) {
	var c avisera.Customer
	err := sc.Scan(&c.ID, &c.Name, &c.Number, &c.OrgUnitID, &c.UpdatedAt)
	return c, err
}

// GetCustomer implements store.MasterStore.
func (s *Store) GetCustomer(ctx context.Context, tenantID, id string) (avisera.Customer, error) {
	c, err := scanCustomer(s.queryRow(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return c, s.wrap(err)
}

// ListCustomers implements store.MasterStore.
func (s *Store) ListCustomers(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.Customer, error) {
	where, args := listWhere(tenantID, p)
	rows, err := s.query(ctx, `SELECT `+customerColumns+` FROM customers`+where, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanCustomer)
}

// PutContract implements store.MasterStore.
func (s *Store) PutContract(ctx context.Context, tenantID string, c avisera.Contract) (bool, error) {
	return s.upsert(ctx, "contracts", tenantID, c.ID,
		[]string{"name", "customer_id", "org_unit_id", "valid_from", "valid_to", "search", "updated_at"},
		c.Name, c.CustomerID, nullString(c.OrgUnitID), nullTime(c.ValidFrom), nullTime(c.ValidTo),
		searchKey(c.ID, c.Name), c.UpdatedAt.UTC())
}

const contractColumns = `id, name, customer_id, COALESCE(org_unit_id, ''), valid_from, valid_to, updated_at`

func scanContract(sc interface{ Scan(...any) error }) (avisera.Contract, error) {
	var c avisera.Contract
	var from, to sql.NullTime
	err := sc.Scan(&c.ID, &c.Name, &c.CustomerID, &c.OrgUnitID, &from, &to, &c.UpdatedAt)
	c.ValidFrom, c.ValidTo = timePtr(from), timePtr(to)
	return c, err
}

// GetContract implements store.MasterStore.
func (s *Store) GetContract(ctx context.Context, tenantID, id string) (avisera.Contract, error) {
	c, err := scanContract(s.queryRow(ctx, `SELECT `+contractColumns+` FROM contracts
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return c, s.wrap(err)
}

// ListContracts implements store.MasterStore.
func (s *Store) ListContracts(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.Contract, error) {
	where, args := listWhere(tenantID, p)
	rows, err := s.query(ctx, `SELECT `+contractColumns+` FROM contracts`+where, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanContract)
}

// PutPlace implements store.MasterStore.
func (s *Store) PutPlace(ctx context.Context, tenantID string, p avisera.Place) (bool, error) {
	return s.upsert(ctx, "places", tenantID, p.ID,
		[]string{"name", "address", "customer_id", "org_unit_id", "search", "updated_at"},
		p.Name, p.Address, nullString(p.CustomerID), nullString(p.OrgUnitID),
		searchKey(p.ID, p.Name, p.Address), p.UpdatedAt.UTC())
}

const placeColumns = `id, name, address, COALESCE(customer_id, ''), COALESCE(org_unit_id, ''), updated_at`

func scanPlace(sc interface{ Scan(...any) error }) (avisera.Place, error) {
	var p avisera.Place
	err := sc.Scan(&p.ID, &p.Name, &p.Address, &p.CustomerID, &p.OrgUnitID, &p.UpdatedAt)
	return p, err
}

// GetPlace implements store.MasterStore.
func (s *Store) GetPlace(ctx context.Context, tenantID, id string) (avisera.Place, error) {
	p, err := scanPlace(s.queryRow(ctx, `SELECT `+placeColumns+` FROM places
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return p, s.wrap(err)
}

// ListPlaces implements store.MasterStore.
func (s *Store) ListPlaces(ctx context.Context, tenantID string, p avisera.Page) ([]avisera.Place, error) {
	where, args := listWhere(tenantID, p)
	rows, err := s.query(ctx, `SELECT `+placeColumns+` FROM places`+where, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPlace)
}
