// Package faulttest_test holds the provider's reliability and security
// tests: every data source read through Terraform against the emulator's
// fault modes (throttling, 5xx, stalls, truncated bodies, a drifting
// total, a repeating token, 401, an unknown parent), the provider server's
// diagnostics for drift and broken pages, a trace-logged Terraform CLI run
// with temporary credentials that must leak no secret, and an interrupted
// long read that must stop its requests. It has test files only.
package faulttest_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// workspaceID is the first generated SecMaster workspace, the one the
// emulator's fixture reads.
var workspaceID = emulator.WorkspaceID(1)

// smallSizes keep every read at two or three pages (each fixture's Pages
// items: 250 script records, 200 of them latest, so 2 pages of 100; 230
// events, 3 pages of 100; 120 audit logs, 3 pages of 50; 130 OOS logs, 3
// pages of 50).
func smallSizes() emulator.Sizes {
	return acctest.FixtureSizes(func(f emulator.Fixture) int { return f.Pages })
}

// smallData is a fresh small dataset (the emulator must not share one
// between tests running in parallel).
func smallData() *emulator.Dataset { return emulator.Generate(11, smallSizes()) }

// source is one data source under test: what the catalog declares and
// the emulator's fixture of its API (emulator.Fixtures).
type source struct {
	fixture   emulator.Fixture
	name      string // short name, for subtests
	typ       string // data source type name
	api       string // emulator API name
	summary   string // the summary of its error diagnostics
	operation string // the API operation named in errors
	list      string // the result list attribute
	offset    bool   // offset paged (has total_count and drift warnings)
	block     string // a data block named "x" reading the fixture's parent
	// idAttr is the item attribute ids compares against.
	idAttr string
	// unknownParent is a data block named "x" whose parent does not exist,
	// and the status and code the API answers it with.
	unknownParent           string
	parentStatus            int
	parentCode, parentWhat  string
	wrongSecretCode         string // the code of a bad signature
	wrongSecretStatus       int
	throttleStatus          int
	serverErrorStatus       int
	throttleCode, errorCode string
}

func (s source) addr() string { return "data." + s.typ + ".x" }

// args are the arguments of the data block of s.
func (s source) args() map[string]any {
	out := map[string]any{}
	for k, v := range s.fixture.Args {
		out[k] = v
	}
	return out
}

// want is every item of the read of s from d, in order, as ExpectObjects
// wants it.
func (s source) want(d *emulator.Dataset) []map[string]any { return acctest.Expected(s.fixture, d) }

// ids returns the identifying value of every expected item, in order (the
// id for items with one, a distinguishing field otherwise).
func (s source) ids(d *emulator.Dataset) []string {
	var out []string
	for _, item := range s.want(d) {
		out = append(out, item[s.idAttr].(string))
	}
	return out
}

// sources are every data source of the catalog, in its order; one without
// an emulator fixture fails every test here (acctest.Fixtures).
var sources = func() []source {
	var out []source
	for _, f := range acctest.Fixtures() {
		spec := catalog.ByTypeName(f.TypeName).Spec()
		out = append(out, source{
			fixture: f, name: f.Name, typ: f.TypeName, api: f.API, summary: spec.Summary(), operation: f.Operation,
			list: spec.List, offset: spec.TotalCount != "", block: acctest.Block(f, "x", f.Args), idAttr: f.Key,
			unknownParent: acctest.Block(f, "x", f.UnknownParent),
			parentStatus:  f.ParentStatus, parentCode: f.ParentCode, parentWhat: f.ParentWhat,
			wrongSecretCode: f.WrongSecretCode, wrongSecretStatus: f.WrongSecretStatus,
			throttleStatus: f.ThrottleStatus, throttleCode: f.ThrottleCode,
			serverErrorStatus: f.ServerErrorStatus, errorCode: f.ServerErrorCode,
		})
	}
	return out
}()

// sourceFor is the source of the emulator's API api, for the tests of
// one API's own behaviour.
func sourceFor(api string) source {
	for _, s := range sources {
		if s.api == api {
			return s
		}
	}
	panic("faulttest: no data source reads " + api)
}

// allBlocks is one configuration body reading every data source.
func allBlocks() string {
	var b strings.Builder
	for _, s := range sources {
		b.WriteString(s.block)
	}
	return b.String()
}

// completeChecks assert that every data source returned exactly the
// dataset's items, in order, each once.
func completeChecks(d *emulator.Dataset) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for _, s := range sources {
		want := s.want(d)
		out = append(out, acctest.ExpectObjects(s.addr(), s.list, want))
		if s.offset {
			out = append(out, statecheck.ExpectKnownValue(s.addr(), tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(want)))))
		}
	}
	return out
}

// pageKey identifies the page a recorded request asked for: its offset,
// or for OOS its NextToken ("" for the first page).
func pageKey(t *testing.T, r emulator.RecordedRequest) string {
	t.Helper()
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		t.Fatalf("recorded query %q: %v", r.RawQuery, err)
	}
	if r.Path == "/" {
		return "token=" + q.Get("NextToken")
	}
	return "offset=" + q.Get("offset")
}

// attemptStats walks the requests of one API in arrival order. For each
// page it counts the failed attempts since that page's last success:
// maxRun is the longest such run (the retries one logical request needed)
// and failures the number of failed attempts. Every page must end with a
// success, or the read that asked for it did not complete.
func attemptStats(t *testing.T, recs []emulator.RecordedRequest) (maxRun, failures, successes int) {
	t.Helper()
	run := map[string]int{}
	for _, r := range recs {
		k := pageKey(t, r)
		if r.Status == 200 {
			run[k] = 0
			successes++
			continue
		}
		run[k]++
		failures++
		maxRun = max(maxRun, run[k])
	}
	for k, n := range run {
		if n != 0 {
			t.Errorf("page %s: the last %d attempt(s) failed and no success followed", k, n)
		}
	}
	return maxRun, failures, successes
}

// settled returns the requests of api once none is in progress any more
// (a request the client abandoned is recorded as such only when the
// emulator notices the connection went away).
func settled(t *testing.T, srv *emulator.Server, api string) []emulator.RecordedRequest {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		recs := srv.Recorded(api)
		if inFlight(recs) == 0 {
			return recs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d requests still in progress after 10 s", api, inFlight(recs))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// inFlight counts the requests not answered yet (Status 0).
func inFlight(recs []emulator.RecordedRequest) int {
	n := 0
	for _, r := range recs {
		if r.Status == 0 {
			n++
		}
	}
	return n
}

// statuses counts the recorded requests by status.
func statuses(recs []emulator.RecordedRequest) map[int]int {
	out := map[int]int{}
	for _, r := range recs {
		out[r.Status]++
	}
	return out
}

// withoutRune is acctest.DiagnosticPatternWithout.
var withoutRune = acctest.DiagnosticPatternWithout

// withReadTimeout adds timeouts.read = d to a data source block.
func withReadTimeout(block, d string) string {
	i := strings.LastIndex(block, "}")
	head := block[:i]
	if !strings.HasSuffix(head, "\n") {
		head += "\n" // a block written on one line: "data ... {}"
	}
	return head + fmt.Sprintf("  timeouts = { read = %q }\n", d) + block[i:]
}
