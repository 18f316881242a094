package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
	"github.com/avisera/avisera/store/storetest"
)

// Bounds of the end-to-end tests: the time a server may take to migrate
// and listen, to answer /healthz, to send a message, and to return after
// its context ends.
const (
	startTimeout  = 30 * time.Second
	healthTimeout = 10 * time.Second
	sendTimeout   = 10 * time.Second
	stopTimeout   = 10 * time.Second
)

var (
	// listeningLine is the log line serve writes once it accepts requests.
	listeningLine = regexp.MustCompile(`msg=listening addr=(\S+)`)
	// apiKey matches a printed API key: avk_ and lower-case base32.
	apiKey = regexp.MustCompile(`avk_[a-z2-7]+`)
)

// database is one database the program runs on.
type database struct {
	name string
	env  func(t *testing.T) map[string]string // the environment of a fresh installation
	log  string                               // how serve's listening line names the database
}

// databases lists the databases of the end-to-end tests. PostgreSQL is
// skipped (with a message) unless AVISERA_TEST_POSTGRES_URL is set.
var databases = []database{
	{"sqlite", func(t *testing.T) map[string]string {
		return map[string]string{"AVISERA_DATA_DIR": t.TempDir()}
	}, "database=sqlite:"},
	{"postgres", func(t *testing.T) map[string]string {
		return map[string]string{"AVISERA_DATA_DIR": t.TempDir(), "AVISERA_DATABASE_URL": storetest.PostgresURL(t)}
	}, "database=postgres"},
}

func TestServeEndToEnd(t *testing.T) {
	t.Parallel()
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			env := db.env(t)
			key := firstStart(t, env, db.log)
			restart(t, env, key)
		})
	}
}

// firstStart serves a fresh installation, checks the probes, the default
// tenant's key and the API, shuts down, and returns the key.
func firstStart(t *testing.T, env map[string]string, dbLog string) string {
	t.Helper()
	s := startServer(t, env)
	if got := s.logs.String(); !strings.Contains(got, dbLog) {
		t.Errorf("serve log = %q, want it to name the database with %q", got, dbLog)
	}
	waitHealthy(t, s.url)
	if res, body := call(t, "GET", s.url+"/readyz", "", ""); res.StatusCode != http.StatusOK {
		t.Errorf("GET /readyz = %d %q, want 200", res.StatusCode, body)
	}

	key := onlyKey(t, s.stdout.String())
	path := filepath.Join(env["AVISERA_DATA_DIR"], "api-key")
	if got := readKeyFile(t, path); got != key {
		t.Errorf("key in %s = %q, want the printed key %q", path, got, key)
	}

	const customer = `{"name": "Bostadsrättsföreningen Lärkan", "number": "10042"}`
	if res, body := call(t, "PUT", s.url+"/api/v1/customers/k1", "Bearer "+key, customer); res.StatusCode != http.StatusCreated {
		t.Errorf("PUT /api/v1/customers/k1 with the key = %d %s, want 201", res.StatusCode, body)
	}
	for _, bad := range []string{"", "Bearer avk_" + strings.Repeat("a", 48), "Bearer " + key[4:], "Basic dXNlcjpwYXNz"} {
		res, body := call(t, "PUT", s.url+"/api/v1/customers/k1", bad, customer)
		if res.StatusCode != http.StatusUnauthorized || errorCode(t, body) != "unauthorized" {
			t.Errorf("PUT /api/v1/customers/k1 with Authorization %q = %d %s, want 401 unauthorized", bad, res.StatusCode, body)
		}
		if got := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate = %q, want Bearer …", got)
		}
	}

	_, metrics := call(t, "GET", s.url+"/metrics", "", "")
	for _, want := range []string{
		`avisera_http_requests_total{route="GET /healthz",status="200"}`,
		`avisera_http_requests_total{route="PUT /api/v1/customers/{id}",status="201"} 1`,
		`avisera_http_requests_total{route="PUT /api/v1/customers/{id}",status="401"} 4`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s; got:\n%s", want, grepLines(metrics, "avisera_"))
		}
	}

	if err := s.stop(); err != nil {
		t.Fatalf("serve after cancel = %v, want nil (graceful shutdown)", err)
	}
	if got := s.logs.String(); !strings.Contains(got, "msg=stopped") {
		t.Errorf("serve log = %q, want msg=stopped", got)
	}
	return key
}

// restart serves the installation again: the tenant exists, so no key is
// printed, the old key still works and the data survived.
func restart(t *testing.T, env map[string]string, key string) {
	t.Helper()
	s := startServer(t, env)
	waitHealthy(t, s.url)
	if got := s.stdout.String(); apiKey.MatchString(got) {
		t.Errorf("second start printed %q, want no new key (the tenant exists)", got)
	}
	path := filepath.Join(env["AVISERA_DATA_DIR"], "api-key")
	if got := readKeyFile(t, path); got != key {
		t.Errorf("key in %s after restart = %q, want %q", path, got, key)
	}
	res, body := call(t, "GET", s.url+"/api/v1/customers/k1", "Bearer "+key, "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/customers/k1 after restart = %d %s, want 200", res.StatusCode, body)
	}
	var c struct{ Name, Number string }
	decodeJSON(t, body, &c)
	if c.Name != "Bostadsrättsföreningen Lärkan" || c.Number != "10042" {
		t.Errorf("customer after restart = %+v, want the one stored before", c)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("second serve after cancel = %v, want nil", err)
	}
}

// TestServeSendsEvent follows one event through the real program: the
// queue that serve starts sends the linked message to the dev mailbox, by
// email and SMS from the configured senders.
func TestServeSendsEvent(t *testing.T) {
	t.Parallel()
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			env := db.env(t)
			env["AVISERA_SMTP_FROM"], env["AVISERA_SMS_FROM"] = "kundservice@stadbolaget.se", "Stadbolaget"
			s := startServer(t, env)
			waitHealthy(t, s.url)
			auth := "Bearer " + onlyKey(t, s.stdout.String())
			api := func(method, path, body string, want int) string {
				t.Helper()
				res, got := call(t, method, s.url+"/api/v1"+path, auth, body)
				if res.StatusCode != want {
					t.Fatalf("%s %s = %d %s, want %d", method, path, res.StatusCode, got, want)
				}
				return got
			}
			var contact, message struct{ ID string }
			api("PUT", "/customers/k1", `{"name": "Bostadsrättsföreningen Lärkan"}`, http.StatusCreated)
			decodeJSON(t, api("POST", "/contacts", `{"name": "Erik Johansson", "emails": ["Erik.Johansson@larkan.se"], "phones": ["070-123 45 67"]}`,
				http.StatusCreated), &contact)
			api("PUT", "/customers/k1/contacts/"+contact.ID, `{"roles": ["notification_recipient"]}`, http.StatusOK)
			decodeJSON(t, api("POST", "/messages", `{"event_type": "order", "name": "Städning utförd",
				"subject": "Order {{ order.number }} hos {{ customer.name }} är utförd", "email_body": "Hej {{ recipient.name }}!",
				"sms_body": "Order {{ order.number }} är utförd"}`,
				http.StatusCreated), &message)
			api("POST", "/links", `{"message_id": "`+message.ID+`", "trigger": "completed",
				"target": {"type": "customer", "id": "k1"}, "channels": ["email", "sms"], "dynamic": ["customer_contacts"]}`,
				http.StatusCreated)
			var accepted struct{ Deliveries int }
			decodeJSON(t, api("POST", "/events", `{"id": "ord-1-completed", "type": "order.completed",
				"occurred_at": "2026-11-24T09:48:00+01:00", "subject": {"type": "order", "id": "ord-1"},
				"refs": {"customer": "k1"}, "data": {"number": "2026-04711"}}`, http.StatusAccepted), &accepted)
			if accepted.Deliveries != 2 {
				t.Fatalf("POST /events planned %d deliveries, want 2 (email and SMS)", accepted.Deliveries)
			}

			want := "Order 2026-04711 hos Bostadsrättsföreningen Lärkan är utförd"
			got := waitMail(t, 2, func() []mail {
				var box struct{ Items []mail }
				decodeJSON(t, api("GET", "/dev/mailbox", "", http.StatusOK), &box)
				return box.Items
			})
			slices.SortFunc(got, func(a, b mail) int { return strings.Compare(a.Channel, b.Channel) })
			if m := got[0]; m.To != "erik.johansson@larkan.se" || m.Subject != want || !strings.Contains(m.Text, "Hej Erik Johansson!") ||
				m.From != "kundservice@stadbolaget.se" {
				t.Errorf("email in the mailbox = %+v, want from kundservice@stadbolaget.se to erik.johansson@larkan.se, subject %q, text Hej Erik Johansson!", m, want)
			}
			if m := got[1]; m.To != "+46701234567" || m.Text != "Order 2026-04711 är utförd" || m.From != "Stadbolaget" {
				t.Errorf("SMS in the mailbox = %+v, want from Stadbolaget to +46701234567", m)
			}
			// The outcomes are counted once recorded, just after the mailbox has them.
			waitMetrics(t, s.url, `avisera_events_accepted_total{event_type="order",trigger="completed"} 1`,
				`avisera_deliveries_total{channel="email",status="sent"} 1`, `avisera_deliveries_total{channel="sms",status="sent"} 1`,
				`avisera_send_latency_seconds_count{channel="email"} 1`, `avisera_send_latency_seconds_count{channel="sms"} 1`)
			if err := s.stop(); err != nil {
				t.Fatalf("serve after cancel = %v, want nil", err)
			}
		})
	}
}

// waitMetrics polls /metrics until it holds every line of want.
func waitMetrics(t *testing.T, url string, want ...string) {
	t.Helper()
	deadline := time.Now().Add(sendTimeout)
	for {
		_, metrics := call(t, "GET", url+"/metrics", "", "")
		missing := slices.DeleteFunc(slices.Clone(want), func(w string) bool { return strings.Contains(metrics, w+"\n") })
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %q; got:\n%s", missing, grepLines(metrics, "avisera_"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mail is an item of the dev mailbox.
type mail struct{ Channel, From, To, Subject, Text string }

// waitMail polls the dev mailbox until it holds n items and returns them.
func waitMail(t *testing.T, n int, list func() []mail) []mail {
	t.Helper()
	deadline := time.Now().Add(sendTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		items := list()
		if len(items) > n {
			t.Fatalf("dev mailbox holds %d items, want %d: %+v", len(items), n, items)
		}
		if len(items) == n {
			return items
		}
		if time.Now().After(deadline) {
			t.Fatalf("dev mailbox holds %d items after %v, want %d", len(items), sendTimeout, n)
		}
		<-tick.C
	}
}

func TestTenantCreate(t *testing.T) {
	t.Parallel()
	env := map[string]string{"AVISERA_DATA_DIR": t.TempDir()}
	names := []string{"Städ AB", "Fönsterputs i Norr HB"}
	keys := make([]string, len(names))
	for i, name := range names {
		var stdout, stderr bytes.Buffer
		if err := run(t.Context(), []string{"tenant", "create", name}, getenvOf(env), &stdout, &stderr); err != nil {
			t.Fatalf("tenant create %q = %v (stderr %q), want nil", name, err, stderr.String())
		}
		if got, want := stdout.String(), "tenant "+name+" ("; !strings.HasPrefix(got, want) {
			t.Errorf("tenant create %q printed %q, want it to start with %q", name, got, want)
		}
		keys[i] = onlyKey(t, stdout.String())
	}
	if keys[0] == keys[1] {
		t.Fatalf("two tenants got the same key %q", keys[0])
	}

	s := startServer(t, env)
	waitHealthy(t, s.url)
	if got := s.stdout.String(); apiKey.MatchString(got) {
		t.Errorf("serve printed %q, want no key (tenants exist)", got)
	}
	for i, key := range keys {
		res, body := call(t, "GET", s.url+"/api/v1/tenant", "Bearer "+key, "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v1/tenant with the key of %q = %d %s, want 200", names[i], res.StatusCode, body)
		}
		var got struct{ Name, Region, Language, TimeZone string }
		decodeJSON(t, body, &got)
		if got.Name != names[i] {
			t.Errorf("GET /api/v1/tenant with the key of %q: name = %q, want %q", names[i], got.Name, names[i])
		}
	}
	if err := s.stop(); err != nil {
		t.Fatalf("serve after cancel = %v, want nil", err)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			env := db.env(t)
			kind := strings.TrimPrefix(db.log, "database=")
			for range 2 { // migrating a migrated database is a no-op
				var stdout, stderr bytes.Buffer
				if err := run(t.Context(), []string{"migrate"}, getenvOf(env), &stdout, &stderr); err != nil {
					t.Fatalf("migrate = %v (stderr %q), want nil", err, stderr.String())
				}
				if got, want := stdout.String(), "database migrated: "+kind; !strings.HasPrefix(got, want) {
					t.Errorf("migrate printed %q, want %q…", got, want)
				}
			}
		})
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { taken.Close() })

	tests := []struct {
		name      string
		args      []string
		env       map[string]string // besides AVISERA_DATA_DIR, a fresh folder
		wantErr   string            // part of the error; "" for success
		wantErrIs error
		stdout    []string // parts of the output
		stderr    []string
	}{
		{name: "version", args: []string{"version"}, stdout: []string{"avisera dev\n"}},
		{name: "help", args: []string{"help"}, stdout: []string{"avisera serve", "avisera tenant create NAME"}},
		{name: "no command", args: nil, wantErr: "a command is required", stderr: []string{"Usage:"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate"`,
			stderr: []string{"Usage:", "avisera migrate"}},
		{name: "serve --help", args: []string{"serve", "--help"}, wantErr: "help requested", wantErrIs: flag.ErrHelp,
			stderr: []string{"Usage: avisera serve", "-addr", "AVISERA_ADDR", "-data-dir", "AVISERA_DATA_DIR",
				"-database-url", "AVISERA_DATABASE_URL", "AVISERA_SMTP_URL", "AVISERA_SMTP_FROM", "AVISERA_PUBLIC_URL",
				"AVISERA_SMS_PROVIDER", "AVISERA_SMS_URL", "AVISERA_SMS_USER", "AVISERA_SMS_PASSWORD", "AVISERA_SMS_FROM"}},
		{name: "migrate --help", args: []string{"migrate", "--help"}, wantErr: "help requested", wantErrIs: flag.ErrHelp,
			stderr: []string{"Usage: avisera migrate", "-data-dir", "AVISERA_DATA_DIR", "-database-url"}},
		{name: "serve unknown flag", args: []string{"serve", "--colour", "blue"}, wantErr: "flag provided but not defined"},
		{name: "serve bad sms provider", args: []string{"serve"}, env: map[string]string{"AVISERA_SMS_PROVIDER": "brevduva"},
			wantErr: "AVISERA_SMS_PROVIDER"},
		{name: "serve bad log format", args: []string{"serve", "--log-format", "xml"}, wantErr: "AVISERA_LOG_FORMAT"},
		{name: "serve bad workers", args: []string{"serve"}, env: map[string]string{"AVISERA_WORKERS": "0"},
			wantErr: "AVISERA_WORKERS"},
		{name: "serve bad sms sender", args: []string{"serve", "--sms-from", "Städbolaget i Norr"},
			wantErr: "AVISERA_SMS_FROM: sender id"},
		{name: "serve bad job timeout", args: []string{"serve", "--job-timeout", "soon"}, wantErr: "AVISERA_JOB_TIMEOUT"},
		{name: "serve zero retry base", args: []string{"serve", "--retry-base", "0s"}, wantErr: "AVISERA_RETRY_BASE must be a positive duration"},
		{name: "serve bad retry cap", args: []string{"serve"}, env: map[string]string{"AVISERA_RETRY_CAP": "-1m"},
			wantErr: "AVISERA_RETRY_CAP"},
		{name: "serve zero timer interval", args: []string{"serve", "--timer-interval", "0s"},
			wantErr: "AVISERA_TIMER_INTERVAL must be a positive duration"},
		{name: "serve taken address", args: []string{"serve", "--addr", taken.Addr().String()}, wantErr: "listen"},
		{name: "migrate non-postgres url", args: []string{"migrate"}, env: map[string]string{"AVISERA_DATABASE_URL": "mysql://db/avisera"},
			wantErr: "must start with postgres://"},
		{name: "tenant without subcommand", args: []string{"tenant"}, wantErr: "one subcommand: create",
			stderr: []string{"Usage: avisera tenant create"}},
		{name: "tenant --help", args: []string{"tenant", "--help"}, stderr: []string{"Usage: avisera tenant create"}},
		{name: "tenant create without name", args: []string{"tenant", "create"}, wantErr: "exactly one NAME",
			stderr: []string{"Usage: avisera tenant create", "-data-dir"}},
		{name: "tenant create unquoted name", args: []string{"tenant", "create", "Städ", "AB"}, wantErr: "exactly one NAME"},
		{name: "tenant create blank name", args: []string{"tenant", "create", "  "}, wantErr: "name: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"AVISERA_DATA_DIR": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), tt.args, getenvOf(env), &stdout, &stderr)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("run(%q) = %v, want nil", tt.args, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			case tt.wantErrIs != nil && !errors.Is(err, tt.wantErrIs):
				t.Fatalf("run(%q) = %v, want errors.Is %v", tt.args, err, tt.wantErrIs)
			}
			containsAll(t, "stdout", stdout.String(), tt.stdout)
			containsAll(t, "stderr", stderr.String(), tt.stderr)
		})
	}
}

// server is a running `avisera serve --addr 127.0.0.1:0`.
type server struct {
	url    string        // http://host:port it listens on
	stdout *lockedBuffer // what serve printed
	logs   *lockedBuffer // what serve logged, line by line
	cancel context.CancelFunc
	done   chan error    // run's result
	read   chan struct{} // closed when the log is read to its end

	once sync.Once
	err  error
}

// startServer runs serve with the environment env until it logs the
// address it listens on; the test's cleanup stops it.
func startServer(t *testing.T, env map[string]string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &server{stdout: &lockedBuffer{}, logs: &lockedBuffer{}, cancel: cancel,
		done: make(chan error, 1), read: make(chan struct{})}
	addr := make(chan string, 1)
	go s.readLog(pr, addr)
	go func() {
		err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, getenvOf(env), s.stdout, pw)
		pw.Close()
		s.done <- err
	}()
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Logf("stopping serve: %v", err)
		}
	})
	select {
	case a := <-addr:
		s.url = "http://" + a
	case err := <-s.done:
		s.once.Do(func() { s.err = err })
		<-s.read
		t.Fatalf("serve = %v before listening, want it to listen; log:\n%s", err, s.logs)
	case <-time.After(startTimeout):
		t.Fatalf("serve did not log %q within %v; log:\n%s", listeningLine, startTimeout, s.logs)
	}
	return s
}

// readLog copies serve's log into s.logs and sends the listening address.
// It reads to the end so that logging never blocks the server.
func (s *server) readLog(r io.Reader, addr chan<- string) {
	defer close(s.read)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fmt.Fprintln(s.logs, sc.Text())
		if m := listeningLine.FindStringSubmatch(sc.Text()); m != nil {
			select {
			case addr <- m[1]:
			default:
			}
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// stop cancels serve's context and returns run's result, or an error when
// run does not return in time. Later calls return the same result.
func (s *server) stop() error {
	s.once.Do(func() {
		s.cancel()
		select {
		case s.err = <-s.done:
			<-s.read
		case <-time.After(stopTimeout):
			s.err = fmt.Errorf("serve did not return within %v of its context's end", stopTimeout)
		}
	})
	return s.err
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// getenvOf returns a getenv reading only env, so that the tests do not
// depend on the variables of the machine they run on.
func getenvOf(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

// waitHealthy polls /healthz until it answers 200.
func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(healthTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := httpClient.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz did not answer 200 within %v: last %v, %v", healthTimeout, res, err)
		}
		<-tick.C
	}
}

// call sends a request with the Authorization header auth (none if empty)
// and a JSON body (none if empty), and returns the response and its body.
func call(t *testing.T, method, url, auth, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return res, string(b)
}

func decodeJSON(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
}

// errorCode returns the code of an error answer.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e struct{ Code, Message string }
	decodeJSON(t, body, &e)
	if e.Message == "" {
		t.Errorf("error %s has no message", body)
	}
	return e.Code
}

// onlyKey returns the one API key in out.
func onlyKey(t *testing.T, out string) string {
	t.Helper()
	keys := apiKey.FindAllString(out, -1)
	if len(keys) != 1 {
		t.Fatalf("output %q holds %d API keys, want 1", out, len(keys))
	}
	return keys[0]
}

// readKeyFile returns the key in the API key file, which only its owner
// may read.
func readKeyFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read API key file: %v", err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("mode of %s = %v, want %v", path, got, want)
		}
	}
	return strings.TrimSpace(string(b))
}

// containsAll reports each of wants missing from the output named name.
func containsAll(t *testing.T, name, got string, wants []string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s = %q, want it to contain %q", name, got, w)
		}
	}
}

// grepLines returns the lines of s starting with prefix.
func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestGCTarget(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("without GOGC the GC target is %d %%, want %d %%", got, gcPercent)
	}
	tuneGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set the GC target was changed to %d %%", got)
	}
}

// A temporary failure is retried after AVISERA_RETRY_BASE: with 200 ms
// the second try comes at once instead of after the default 30 s.
func TestServeRetriesAfterRetryBase(t *testing.T) {
	t.Parallel()
	sink := smtptest.NewServer(t)
	sink.FailNext(1, 451, [3]int{4, 3, 0}, "try again later")
	env := databases[0].env(t)
	env["AVISERA_SMTP_URL"], env["AVISERA_RETRY_BASE"] = sink.URL(), "200ms"
	s := startServer(t, env)
	waitHealthy(t, s.url)
	c := newAPIClient(s.url, onlyKey(t, s.stdout.String()))
	setupRecipients(t, c, "k1", 1)
	c.must(t, http.StatusAccepted, "POST", "/api/v1/events", eventBody(1, "k1"), nil)

	deadline := time.Now().Add(sendTimeout)
	for {
		var list struct{ Items []apiDelivery }
		c.must(t, http.StatusOK, "GET", "/api/v1/deliveries", "", &list)
		if len(list.Items) == 1 && list.Items[0].Status == "sent" {
			if list.Items[0].Attempts != 2 || sink.Count() != 1 {
				t.Errorf("sent after %d attempts, %d at the server; want 2 attempts, 1 message", list.Items[0].Attempts, sink.Count())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries after %v: %+v, want one sent on its second try", sendTimeout, list.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
}
