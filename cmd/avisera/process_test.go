package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/avisera/avisera/email/smtptest"
)

// The end-to-end tests in crash_test.go and scaleout_test.go run the real
// binary as child processes, so that they can kill it with SIGKILL and run
// several replicas side by side, as production does.

var (
	// procListening matches the log line serve writes once it accepts requests.
	procListening = regexp.MustCompile(`msg=listening addr=(\S+)`)
	// procKey matches a printed API key.
	procKey = regexp.MustCompile(`avk_[a-z2-7]+`)
)

// built is the avisera binary shared by the tests running at the same
// time; the last one to finish removes it.
var built struct {
	mu    sync.Mutex
	users int
	dir   string
	path  string
}

// aviseraBinary builds the avisera command (once for the tests that run
// concurrently) and returns the path of the binary.
func aviseraBinary(t *testing.T) string {
	t.Helper()
	built.mu.Lock()
	defer built.mu.Unlock()
	if built.users == 0 {
		dir, err := os.MkdirTemp("", "avisera-bin-")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "avisera")
		cmd := exec.Command("go", "build", "-o", path, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			t.Fatalf("go build: %v\n%s", err, out)
		}
		built.dir, built.path = dir, path
	}
	built.users++
	t.Cleanup(func() {
		built.mu.Lock()
		defer built.mu.Unlock()
		if built.users--; built.users == 0 {
			os.RemoveAll(built.dir)
		}
	})
	return built.path
}

// process is a running `avisera serve` child process.
type process struct {
	name   string
	cmd    *exec.Cmd
	url    string        // http://host:port it listens on
	stdout *lockedBuffer // what it printed
	logs   *lockedBuffer // what it logged
	exited chan struct{} // closed when the process has ended and its output is read
}

// startProcess runs `avisera serve` with exactly the environment env
// (nothing is inherited) until it logs its address. The test's cleanup
// kills it.
func startProcess(t *testing.T, bin, name string, env map[string]string) *process {
	t.Helper()
	p := &process{name: name, cmd: exec.Command(bin, "serve"), stdout: &lockedBuffer{}, logs: &lockedBuffer{},
		exited: make(chan struct{})}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout = p.stdout
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	addr := make(chan string, 1)
	go func() {
		p.readLog(stderr, addr)
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.kill() })
	select {
	case a := <-addr:
		p.url = "http://" + a
	case <-p.exited:
		t.Fatalf("%s exited (%v) before listening; log:\n%s", name, p.cmd.ProcessState, p.logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not log %q within 30s; log:\n%s", name, procListening, p.logs)
	}
	return p
}

// readLog copies the process's log into p.logs and sends the listening
// address. It reads to the end so that logging never blocks the process.
func (p *process) readLog(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fmt.Fprintln(p.logs, sc.Text())
		if m := procListening.FindStringSubmatch(sc.Text()); m != nil {
			select {
			case addr <- m[1]:
			default:
			}
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// kill ends the process with SIGKILL (no shutdown, as a crash or an OOM
// kill would) and waits until it is gone.
func (p *process) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// key returns the API key the process printed on its first start. The key
// is printed before the listening line is logged, but stdout is copied by
// another goroutine than stderr, so it may take a moment to show.
func (p *process) key(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if k := procKey.FindString(p.stdout.String()); k != "" {
			return k
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s printed no API key within 5s of listening: %q", p.name, p.stdout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logTail returns the last n lines of the process's log, for failure
// messages.
func (p *process) logTail(n int) string {
	lines := strings.Split(strings.TrimSpace(p.logs.String()), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// apiClient calls one process's API as the default tenant.
type apiClient struct {
	base string
	key  string
	http *http.Client
}

func newAPIClient(base, key string) *apiClient {
	tr := &http.Transport{MaxIdleConnsPerHost: 32}
	return &apiClient{base: base, key: key, http: &http.Client{Transport: tr, Timeout: 20 * time.Second}}
}

// do sends a request with a JSON body (none if empty) and returns the
// status and the answer.
func (c *apiClient) do(ctx context.Context, method, path, body string) (int, []byte, error) {
	status, b, _, err := c.doHeader(ctx, method, path, body)
	return status, b, err
}

// doHeader is do that also returns the answer's header.
func (c *apiClient) doHeader(ctx context.Context, method, path, body string) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header, err
}

// must sends a request, fails the test unless the answer has status want,
// and decodes the answer into out unless out is nil.
func (c *apiClient) must(t *testing.T, want int, method, path, body string, out any) {
	t.Helper()
	got, b, err := c.do(t.Context(), method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if got != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, got, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// setupRecipients creates customer with n contacts who receive its
// notifications, and a link that emails them an order.completed message.
// It returns the contacts' addresses.
func setupRecipients(t *testing.T, c *apiClient, customer string, n int) []string {
	t.Helper()
	c.must(t, http.StatusCreated, "PUT", "/api/v1/org-units/ou1", `{"name":"Region Norr"}`, nil)
	c.must(t, http.StatusCreated, "PUT", "/api/v1/customers/"+customer,
		`{"name":"Bostadsrättsföreningen Lärkan","org_unit_id":"ou1"}`, nil)
	addrs := make([]string, n)
	for i := range n {
		addrs[i] = fmt.Sprintf("kontakt%03d@larkan.example", i)
		var contact struct{ ID string }
		c.must(t, http.StatusCreated, "POST", "/api/v1/contacts",
			fmt.Sprintf(`{"name":"Kontakt %d","emails":[%q]}`, i, addrs[i]), &contact)
		c.must(t, http.StatusOK, "PUT", "/api/v1/customers/"+customer+"/contacts/"+contact.ID,
			`{"roles":["notification_recipient"]}`, nil)
	}
	var msg struct{ ID string }
	c.must(t, http.StatusCreated, "POST", "/api/v1/messages", `{"event_type":"order","name":"Order klar",
		"subject":"Klart hos {{ customer.name }}","email_body":"Hej {{ recipient.name }}!\n\nOrdern är klar."}`, &msg)
	c.must(t, http.StatusCreated, "POST", "/api/v1/links", `{"message_id":"`+msg.ID+`","trigger":"completed",
		"target":{"type":"customer","id":"`+customer+`"},"channels":["email"],"dynamic":["customer_contacts"]}`, nil)
	return addrs
}

// eventID names the i-th event of a test.
func eventID(i int) string { return fmt.Sprintf("ev-%05d", i) }

// eventBody is the i-th order.completed event at customer.
func eventBody(i int, customer string) string {
	return fmt.Sprintf(`{"id":%q,"type":"order.completed","occurred_at":"2026-03-02T08:00:00+01:00",
		"subject":{"type":"order","id":"ord-%05d"},"refs":{"customer":%q},"data":{}}`, eventID(i), i, customer)
}

// postResult is the answer to one POST /api/v1/events.
type postResult struct {
	status int   // 0 when the request failed
	err    error // why the request failed, or the unexpected answer
	dup    bool  // the answer says the event had been accepted before
	n      int   // the deliveries the answer counts
}

// postEvents posts the events numbered in idx with at most conc requests
// at a time and returns the result of each, by event number.
func postEvents(ctx context.Context, c *apiClient, customer string, idx []int, conc int) map[int]postResult {
	var mu sync.Mutex
	out := make(map[int]postResult, len(idx))
	work := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := range work {
				r := postEvent(ctx, c, eventBody(i, customer))
				mu.Lock()
				out[i] = r
				mu.Unlock()
			}
		})
	}
	for _, i := range idx {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

func postEvent(ctx context.Context, c *apiClient, body string) postResult {
	status, b, header, err := c.doHeader(ctx, "POST", "/api/v1/events", body)
	replayed := header.Get("Idempotent-Replayed") == "true"
	r := postResult{status: status, err: err}
	if err != nil || status != http.StatusAccepted {
		if err == nil {
			r.err = fmt.Errorf("answer %d %s", status, b)
		}
		return r
	}
	var res struct {
		Deliveries int
	}
	if err := json.Unmarshal(b, &res); err != nil {
		r.err = fmt.Errorf("decode %s: %v", b, err)
	}
	r.dup, r.n = replayed, res.Deliveries
	return r
}

// apiDelivery is what the tests read of a delivery from the API.
type apiDelivery struct {
	ID       string `json:"id"`
	EventID  string `json:"event_id"`
	Address  string `json:"address"`
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
}

// listDeliveries pages through GET /api/v1/deliveries with the status
// filter statuses (all when empty).
func listDeliveries(ctx context.Context, c *apiClient, statuses string) ([]apiDelivery, error) {
	var all []apiDelivery
	cursor := ""
	for {
		q := url.Values{"limit": {"500"}}
		if statuses != "" {
			q.Set("status", statuses)
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		status, b, err := c.do(ctx, "GET", "/api/v1/deliveries?"+q.Encode(), "")
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("GET /api/v1/deliveries = %d %s", status, b)
		}
		var page struct {
			Items      []apiDelivery `json:"items"`
			NextCursor string        `json:"next_cursor"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, fmt.Errorf("decode deliveries: %w", err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		cursor = page.NextCursor
	}
}

// pendingStatuses are the statuses of a delivery that will still be sent.
const pendingStatuses = "queued,sending,deferred,scheduled"

// waitSettled polls the API until no delivery is pending any more and want
// deliveries exist, and returns them all; it fails the test at ctx's end.
func waitSettled(ctx context.Context, t *testing.T, c *apiClient, want int) []apiDelivery {
	t.Helper()
	var last string
	for {
		pending, err := listDeliveries(ctx, c, pendingStatuses)
		if err == nil && len(pending) == 0 {
			var all []apiDelivery
			if all, err = listDeliveries(ctx, c, ""); err == nil && len(all) >= want {
				return all
			}
			last = fmt.Sprintf("no delivery pending, %d in all, want %d", len(all), want)
		} else if err == nil {
			last = fmt.Sprintf("%d deliveries pending", len(pending))
		}
		if err != nil {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("deliveries did not settle in time: %s", last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// arrivals counts the messages each delivery id arrived in, from their
// X-Avisera-Delivery header; it fails the test for a message without one.
func arrivals(t *testing.T, msgs []smtptest.Received) map[string]int {
	t.Helper()
	n := make(map[string]int, len(msgs))
	for _, m := range msgs {
		id := m.Header.Get("X-Avisera-Delivery")
		if id == "" {
			t.Fatalf("message to %v has no X-Avisera-Delivery header:\n%s", m.To, m.Data)
		}
		n[id]++
	}
	return n
}

// TestExitStatus runs the binary: asking for help succeeds, a wrong flag
// or command fails, each with the usage or the reason on stderr.
func TestExitStatus(t *testing.T) {
	t.Parallel()
	bin := aviseraBinary(t)
	for _, tt := range []struct {
		args   []string
		ok     bool
		stderr string
	}{
		{[]string{"serve", "--help"}, true, "-smtp-from"},
		{[]string{"serve", "--nope"}, false, "flag provided but not defined"},
		{[]string{"nope"}, false, "nope"},
	} {
		var stderr strings.Builder
		cmd := exec.Command(bin, tt.args...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		if (err == nil) != tt.ok || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("avisera %v: err %v, stderr %q; want success %v and %q on stderr", tt.args, err, stderr.String(), tt.ok, tt.stderr)
		}
	}
}
