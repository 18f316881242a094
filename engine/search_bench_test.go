package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/fold"
	"github.com/avisera/avisera/phone"
	"github.com/avisera/avisera/store"
	"github.com/avisera/avisera/store/sqlstore"
	"github.com/avisera/avisera/store/storetest"
)

const (
	benchContacts = 100_000 // size of the contact book searched
	benchBatch    = 5_000   // contacts written per seeding transaction
	benchQueries  = 1_000   // distinct queries each sub-benchmark rotates through
)

var (
	firstNames = []string{"Åsa", "Åke", "Anna", "Anders", "Agneta", "Annika", "Björn", "Birgitta",
		"Bengt", "Cecilia", "Carina", "Dag", "Elin", "Erik", "Eva", "Fredrik", "Gunnar", "Göran",
		"Gösta", "Gustav", "Hanna", "Håkan", "Helena", "Ingrid", "Ida", "Johan", "Jonas", "Jörgen",
		"Karin", "Kerstin", "Lars", "Lena", "Linnéa", "Magnus", "Maria", "Märta", "Mats", "Nils",
		"Olof", "Oskar", "Östen", "Örjan", "Per", "Pernilla", "Sara", "Sofia", "Stefan", "Sören",
		"Tove", "Ulf", "Ulla", "Viktor"}
	lastNames = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
		"Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jönsson",
		"Hansson", "Håkansson", "Bengtsson", "Lind", "Lindberg", "Lindström", "Lindqvist",
		"Lindgren", "Lundberg", "Lundgren", "Lundqvist", "Berg", "Bergström", "Berglund", "Sjöberg",
		"Sjögren", "Ström", "Strömberg", "Åberg", "Åström", "Ågren", "Öberg", "Öhman", "Östlund",
		"Nyström", "Holmström", "Forsberg", "Sandberg", "Söderberg", "Söderström", "Wallin",
		"Engström", "Ekström", "Löfgren", "Dahlström", "Näslund", "Björk", "Blomqvist", "Hedlund",
		"Mårtensson", "Sundström", "Fält"}
)

// sample is a seeded contact the queries are made from.
type sample struct {
	id, first, last, email string
	national               string // 0701234567
}

// book is a seeded contact book.
type book struct {
	eng      *engine.Engine
	tenantID string
	samples  []sample
}

// BenchmarkContactSearch measures Engine.SearchContacts on a book of
// 100,000 contacts, next to a primary-key lookup on the same database as
// a baseline, so that results on a noisy machine can be read as ratios.
func BenchmarkContactSearch(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		open := storetest.Databases()[name]
		b.Run(name, func(b *testing.B) {
			bk := seedBook(b, open(b))
			b.Run("baseline-pk", func(b *testing.B) { benchBaseline(b, bk) })
			b.Run("phone", func(b *testing.B) { benchSearch(b, bk, phoneQuery, expectOnly) })
			b.Run("email", func(b *testing.B) { benchSearch(b, bk, emailQuery, expectOnly) })
			b.Run("name", func(b *testing.B) { benchSearch(b, bk, nameQuery, expectFound) })
			b.Run("name-prefix", func(b *testing.B) { benchSearch(b, bk, namePrefixQuery, expectFound) })
		})
	}
}

// seedBook writes benchContacts contacts with their search terms in
// batched transactions, bypassing the engine's per-contact checks.
func seedBook(b *testing.B, db *sqlstore.DB) book {
	b.Helper()
	ctx, start := b.Context(), time.Now()
	eng := engine.New(db.Store())
	t, _, err := eng.CreateTenant(ctx, "Bench AB")
	if err != nil {
		b.Fatalf("CreateTenant: %v", err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	picked := make(map[int]bool, benchQueries)
	for _, i := range rng.Perm(benchContacts)[:benchQueries] {
		picked[i] = true
	}
	bk := book{eng: eng, tenantID: t.ID}
	cs := make([]avisera.Contact, benchContacts)
	for i := range cs {
		var smp sample
		cs[i], smp = benchContact(b, rng, i)
		if picked[i] {
			bk.samples = append(bk.samples, smp)
		}
	}
	rng.Shuffle(len(bk.samples), func(i, j int) { bk.samples[i], bk.samples[j] = bk.samples[j], bk.samples[i] })
	// SQLite has one writer; PostgreSQL takes batches side by side, which
	// hides the round trips of PutContact's many statements.
	workers := 1
	if db.Dialect().Name == "postgres" {
		workers = 4
	}
	errs := make([]error, (benchContacts+benchBatch-1)/benchBatch)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for n := range errs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[n] = putContacts(ctx, db.Store(), t.ID, cs[n*benchBatch:min((n+1)*benchBatch, len(cs))])
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatalf("seed: %v", err)
	}
	// A live PostgreSQL server has statistics for the planner and a
	// visibility map for index-only scans, kept by autovacuum; give them
	// to the fresh schema now so that plans do not change mid-run.
	if db.Dialect().Name == "postgres" {
		if _, err := db.WriteDB().ExecContext(ctx, `VACUUM ANALYZE contacts, contact_addresses, contact_terms`); err != nil {
			b.Fatalf("vacuum: %v", err)
		}
	}
	b.Logf("seeded %d contacts in %v", benchContacts, time.Since(start).Round(time.Millisecond))
	return bk
}

// putContacts writes contacts in one transaction, with the search terms
// the engine would write.
func putContacts(ctx context.Context, s store.Store, tenantID string, cs []avisera.Contact) error {
	return s.Tx(ctx, func(s store.Store) error {
		for _, c := range cs {
			if err := s.PutContact(ctx, tenantID, c, engine.SearchTerms(c)); err != nil {
				return fmt.Errorf("contact %s: %w", c.Name, err)
			}
		}
		return nil
	})
}

// benchContact returns contact i: a Swedish name, one email address and
// one mobile number, both unique in the book.
func benchContact(b *testing.B, rng *rand.Rand, i int) (avisera.Contact, sample) {
	first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
	// Six-digit suffixes: no suffix is a prefix of another, so an email
	// query names exactly one contact.
	email := fmt.Sprintf("%s.%s.%d@company%d.se", fold.String(first), fold.String(last), 100_000+i, rng.IntN(200)+1)
	// 7919 is prime to 10^7, so the numbers are unique but not in order.
	national := fmt.Sprintf("070%07d", (i*7919+1_234_567)%10_000_000)
	n, err := phone.Parse(national, "SE")
	if err != nil {
		b.Fatalf("phone %s: %v", national, err)
	}
	now := time.Now().UTC()
	c := avisera.Contact{ID: uuid.Must(uuid.NewV7()).String(), Name: first + " " + last,
		Emails: []string{email}, Phones: []avisera.Phone{{Number: n.E164, Mobile: n.Mobile}},
		Language: "sv", Active: true, CreatedAt: now, UpdatedAt: now}
	return c, sample{id: c.ID, first: first, last: last, email: email, national: national}
}

// phoneQuery writes the sample's number the ways people type it.
func phoneQuery(s sample, i int) string {
	d := s.national
	return []string{
		d[:3] + "-" + d[3:6] + " " + d[6:8] + " " + d[8:],
		"+46 " + d[1:3] + " " + d[3:6] + " " + d[6:8] + " " + d[8:],
		d,
		"+46" + d[1:],
		"0046 " + d[1:3] + "-" + d[3:6] + " " + d[6:8] + " " + d[8:],
	}[i%5]
}

// emailQuery is the whole address or a fragment of it.
func emailQuery(s sample, i int) string {
	local, domain, _ := strings.Cut(s.email, "@")
	number := local[strings.LastIndex(local, ".")+1:]
	return []string{
		s.email,
		local,
		strings.TrimPrefix(local, fold.String(s.first)+"."),
		number + "@" + strings.TrimSuffix(domain, ".se"),
	}[i%4]
}

// nameQuery is whole words of the name, with or without accents.
func nameQuery(s sample, i int) string {
	return []string{
		s.first + " " + s.last,
		fold.String(s.first + " " + s.last),
		s.last,
		fold.String(s.last + " " + s.first),
	}[i%4]
}

// namePrefixQuery is the start of the first and last names: "asa lind".
func namePrefixQuery(s sample, _ int) string {
	f, l := []rune(fold.String(s.first)), []rune(fold.String(s.last))
	return string(f[:min(3, len(f))]) + " " + string(l[:min(4, len(l))])
}

// expectOnly fails unless the search found the sample and nothing else.
func expectOnly(b *testing.B, q string, s sample, got []avisera.Contact) {
	if len(got) != 1 || got[0].ID != s.id {
		b.Fatalf("search %q found %d contacts (first %v), want only %s", q, len(got), firstID(got), s.id)
	}
}

// expectFound fails unless the search found something whose name matches:
// the sample itself may be beyond the first page.
func expectFound(b *testing.B, q string, _ sample, got []avisera.Contact) {
	if len(got) == 0 {
		b.Fatalf("search %q found nothing, want at least the sample", q)
	}
	words := fold.Words(got[0].Name)
	for _, w := range fold.Words(q) {
		if !slices.ContainsFunc(words, func(n string) bool { return strings.HasPrefix(n, w) }) {
			b.Fatalf("search %q found %q, whose name does not match %q", q, got[0].Name, w)
		}
	}
}

func firstID(cs []avisera.Contact) string {
	if len(cs) == 0 {
		return "none"
	}
	return cs[0].ID
}

// benchSearch runs SearchContacts with a different query each iteration,
// checks the answer with expect and reports latency percentiles.
func benchSearch(b *testing.B, bk book, query func(sample, int) string,
	expect func(*testing.B, string, sample, []avisera.Contact)) {
	ctx := b.Context()
	qs := make([]string, len(bk.samples))
	for i, s := range bk.samples {
		qs[i] = query(s, i)
	}
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		k := i % len(qs)
		start := time.Now()
		l, err := bk.eng.SearchContacts(ctx, bk.tenantID, avisera.Page{Q: qs[k], Limit: 50})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatalf("SearchContacts(%q): %v", qs[k], err)
		}
		expect(b, qs[k], bk.samples[k], l.Items)
	}
	reportLatency(b, lat)
}

// benchBaseline looks contacts up by primary key.
func benchBaseline(b *testing.B, bk book) {
	ctx, s := b.Context(), bk.eng.Store()
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		want := bk.samples[i%len(bk.samples)].id
		start := time.Now()
		c, err := s.GetContact(ctx, bk.tenantID, want)
		lat = append(lat, time.Since(start))
		if err != nil || c.ID != want {
			b.Fatalf("GetContact(%s) = %s, %v", want, c.ID, err)
		}
	}
	reportLatency(b, lat)
}

// reportLatency adds the median and 99th percentile (nearest rank) in ms.
func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	rank := func(p float64) float64 {
		i := max(int(math.Ceil(p*float64(len(lat))))-1, 0)
		return float64(lat[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(rank(0.50), "p50-ms")
	b.ReportMetric(rank(0.99), "p99-ms")
}
