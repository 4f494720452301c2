package acctest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

func TestIDForm(t *testing.T) {
	for id, ok := range map[string]bool{
		"0123456789abcdef0123456789abcdef":  true,
		"0123456789ABCDEF0123456789abcdef":  false,
		"0123456789abcdef0123456789abcde":   false,
		"0123456789abcdef0123456789abcdef0": false,
		"":                                  false,
	} {
		if IDForm.MatchString(id) != ok {
			t.Errorf("IDForm.MatchString(%q) = %v", id, !ok)
		}
	}
}

// errorsTB records Errorf calls instead of failing the test.
type errorsTB struct {
	testing.TB
	errs []string
}

func (e *errorsTB) Helper() {}

func (e *errorsTB) Errorf(format string, args ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

func TestCheckStatuses(t *testing.T) {
	reqs := []emulator.RecordedRequest{
		{Method: http.MethodGet, Path: "/a", Status: 429},
		{Method: http.MethodGet, Path: "/b", Status: 200},
		{Method: http.MethodPost, Path: "/c", Status: 500},
		{Method: http.MethodGet, Path: "/d", Status: 200},
	}
	rec := &errorsTB{TB: t}
	n := CheckStatuses(rec, reqs, 429, 200)
	if n[429] != 1 || n[200] != 2 || n[500] != 1 || len(n) != 3 {
		t.Errorf("counts %v", n)
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "request 2 (POST /c) was answered 500") {
		t.Errorf("errors %q, want one naming request 2", rec.errs)
	}
	rec = &errorsTB{TB: t}
	if CheckStatuses(rec, reqs[1:2], 200); len(rec.errs) != 0 {
		t.Errorf("errors %q for allowed statuses", rec.errs)
	}
}

func TestQuery(t *testing.T) {
	q := Query(t, emulator.RecordedRequest{RawQuery: "a=1&a=%2B&b=%E6%A1%8C"})
	if got := q["a"]; len(got) != 2 || got[0] != "1" || got[1] != "+" || q.Get("b") != "桌" {
		t.Errorf("Query = %v", q)
	}
}
