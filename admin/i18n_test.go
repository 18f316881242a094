package admin

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
)

// TestTablesMatch checks that both languages have the same keys and the
// same format verbs.
func TestTablesMatch(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[a-z]`)
	for key, sv := range textsSV {
		en, ok := textsEN[key]
		if !ok {
			t.Errorf("%q is Swedish only", key)
			continue
		}
		if a, b := verbs.FindAllString(sv, -1), verbs.FindAllString(en, -1); !slices.Equal(a, b) {
			t.Errorf("%q: Swedish verbs %v, English %v", key, a, b)
		}
	}
	for key := range textsEN {
		if _, ok := textsSV[key]; !ok {
			t.Errorf("%q is English only", key)
		}
	}
}

// TestTemplateKeysExist checks every literal key the templates and the
// code look up, and the keys built from domain values.
func TestTemplateKeysExist(t *testing.T) {
	t.Parallel()
	keys := map[string]bool{}
	literal := regexp.MustCompile(`\bt "([a-z0-9_.]+)"|"(?:Label|Placeholder|Text)" "([a-z0-9_.]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]+m[2]] = true
		}
	}
	for _, s := range avisera.Statuses {
		keys["status."+s] = true
	}
	for _, r := range avisera.Roles {
		keys["role."+r] = true
	}
	for _, g := range chartGroups() {
		keys["group."+g] = true
	}
	for _, et := range catalog.All() {
		for _, tok := range et.Tokens {
			keys["token."+tok] = true
		}
	}
	for _, k := range kinds() {
		keys[k.Plural], keys[k.One], keys["target.kind."+k.Type] = true, true, true
	}
	for _, code := range []string{avisera.EINVALID, avisera.EBADREQUEST, avisera.ENOTFOUND, avisera.ECONFLICT,
		avisera.EUNAUTHORIZED, avisera.EFORBIDDEN, avisera.ETOOLARGE, avisera.EGONE, avisera.EINTERNAL} {
		keys["error.code."+code] = true
	}
	for _, k := range knownMessages {
		keys[k.key] = true
	}
	for _, et := range catalog.All() {
		for _, tr := range et.Triggers {
			if tr.TimeBased {
				keys["plans.trigger."+tr.Name] = true
			}
		}
	}
	for _, s := range []string{avisera.TimerPending, avisera.TimerFired, avisera.TimerSkipped, avisera.TimerCancelled} {
		keys["plans.timer."+s] = true
	}
	for _, s := range []string{avisera.PlanActive, avisera.PlanCancelled} {
		keys["plans.status."+s] = true
	}
	for _, d := range timerDetails {
		keys[d.key] = true
	}
	keys["plans.detail.fired"] = true
	for _, u := range callbackURLs(map[string]string{"46elks": "", "twilio": "", "brevo": "", "http": "", "other": ""}) {
		if u.Label != "" {
			keys[u.Label] = true
		}
		keys[u.How] = true
	}
	for key := range keys {
		if _, ok := textsSV[key]; !ok {
			t.Errorf("key %q is used but not translated", key)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang string
		err  error
		want userError
	}{
		{"sv", avisera.Invalid("emails[1]", `"x" is not a valid email address`),
			userError{"emails", "E-postadresser 2: är inte en giltig e-postadress"}},
		{"en", avisera.Invalid("name", "is required"), userError{"name", "Name: is required"}},
		{"sv", avisera.Invalid("static[0].addresses[1]", "odd"), userError{"static", "Statiska mottagare 1: odd"}},
		{"sv", avisera.Invalid("settings.sms_from", "too long"), userError{"settings.sms_from", "SMS-avsändare: too long"}},
		{"en", &avisera.Error{Code: avisera.EINTERNAL, Message: "db down"}, userError{"", textsEN["error.internal"]}},
		{"sv", keyError("login.failed"), userError{"", textsSV["login.failed"]}},
		{"sv", avisera.Errorf(avisera.ENOTFOUND, ""), userError{"", textsSV["error.code.not_found"]}},
	}
	for _, tt := range tests {
		if got := explain(tt.lang, tt.err); got != tt.want {
			t.Errorf("explain(%s, %v) = %+v, want %+v", tt.lang, tt.err, got, tt.want)
		}
	}
}

func TestPassword(t *testing.T) {
	t.Parallel()
	h := hashPassword("korrekt häst batteri")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %q, want an argon2id PHC string", h)
	}
	if ok, err := checkPassword(h, "korrekt häst batteri"); !ok || err != nil {
		t.Errorf("right password: %v, %v", ok, err)
	}
	if ok, _ := checkPassword(h, "korrekt hast batteri"); ok {
		t.Error("a wrong password matched")
	}
	if h2 := hashPassword("korrekt häst batteri"); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$2a$10$bcrypt", "$argon2id$v=19$m=x$a$b", dummyHash()[:20]} {
		if ok, err := checkPassword(bad, "x"); ok || err == nil {
			t.Errorf("checkPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
	if ok, err := checkPassword(dummyHash(), "anything"); ok || err != nil {
		t.Errorf("the dummy hash = %v, %v; want a well-formed hash nothing matches", ok, err)
	}
	if p := newPassword(); len(p) != 23 || checkPasswordRules(p) != nil {
		t.Errorf("generated password %q", p)
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"/contacts?q=a": "/contacts?q=a", "": "/", "//evil": "/",
		"https://evil": "/", "/\\evil": "/", "contacts": "/"} {
		if got := localPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
