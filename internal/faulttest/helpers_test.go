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
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/oos"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/workspace"
)

// The parents every test reads: the first generated of each kind.
var (
	screenRecord = emulator.ScreenRecordID(1)
	workspaceID  = emulator.WorkspaceID(1)
	executionID  = emulator.ExecutionID(1)
)

// smallSizes keep every read at two or three pages: 250 script records (200
// of them latest, so 2 pages of 100), 230 events (3 pages of 100), 120 audit
// logs (3 pages of 50), 130 OOS logs (3 pages of 50).
func smallSizes() emulator.Sizes {
	return emulator.Sizes{
		ScriptRecords: 250, ScreenRecords: 1, EventsPerScreenRecord: 230,
		Workspaces: 1, AuditLogsPerWorkspace: 120, Executions: 1, LogsPerExecution: 130,
	}
}

// smallData is a fresh small dataset (the emulator must not share one
// between tests running in parallel).
func smallData() *emulator.Dataset { return emulator.Generate(11, smallSizes()) }

// source is one of the four data sources under test.
type source struct {
	name      string // short name, for subtests
	typ       string // data source type name
	api       string // emulator API name
	summary   string // the summary of its error diagnostics
	operation string // the API operation named in errors
	list      string // the result list attribute
	offset    bool   // offset paged (has total_count and drift warnings)
	block     string // a data block named "x" reading the parent above
	// want is every item of the read, in order, as ExpectObjects wants it.
	want func(d *emulator.Dataset) []map[string]any
	// ids returns the identifying value of every expected item, in order
	// (the id for items with one, a distinguishing field otherwise).
	ids func(d *emulator.Dataset) []string
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

// sources are the fault-suite specifics of every data source, in catalog
// order: a data source in the catalog without them fails every test here.
var sources = inCatalogOrder([]source{
	{
		name: "script_records", typ: workspace.ScriptRecordsTypeName, api: emulator.APIScriptRecords,
		summary: "Unable to list Workspace script execution records", operation: "ListScriptExecutionRecords",
		list: "records", offset: true,
		block: fmt.Sprintf("data %q \"x\" {}\n", workspace.ScriptRecordsTypeName),
		want:  wantScriptRecords, ids: scriptRecordIDs, idAttr: "id",
		// The one parent of script records is the project: the gateway
		// refuses a project that does not exist.
		unknownParent: fmt.Sprintf("data %q \"x\" {\n  project_id = %q\n}\n",
			workspace.ScriptRecordsTypeName, "0123456789abcdef0123456789abcdef"),
		parentStatus: 403, parentCode: "APIG.0302", parentWhat: "0123456789abcdef0123456789abcdef",
		wrongSecretStatus: 401, wrongSecretCode: "APIG.0301",
		throttleStatus: 429, throttleCode: "APIG.0308", serverErrorStatus: 500, errorCode: "WKS.00000500",
	},
	{
		name: "desktop_events", typ: workspace.DesktopEventsTypeName, api: emulator.APIDesktopEvents,
		summary: "Unable to list Workspace key desktop events", operation: "ListKeyDesktopEvents",
		list: "events", offset: true,
		block: fmt.Sprintf("data %q \"x\" {\n  screen_record_id = %q\n}\n", workspace.DesktopEventsTypeName, screenRecord),
		want:  wantDesktopEvents, ids: desktopEventIDs, idAttr: "id",
		unknownParent: fmt.Sprintf("data %q \"x\" {\n  screen_record_id = %q\n}\n", workspace.DesktopEventsTypeName, "sr-9999"),
		parentStatus:  404, parentCode: "WKS.00000404", parentWhat: `screen recording "sr-9999" (screen_record_id) was not found`,
		wrongSecretStatus: 401, wrongSecretCode: "APIG.0301",
		throttleStatus: 429, throttleCode: "APIG.0308", serverErrorStatus: 500, errorCode: "WKS.00000500",
	},
	{
		name: "audit_logs", typ: secmaster.PlaybookAuditLogsTypeName, api: emulator.APIAuditLogs,
		summary: "Unable to list SecMaster playbook audit logs", operation: "ListPlaybookAuditLogs",
		list: "audit_logs", offset: true,
		block: fmt.Sprintf("data %q \"x\" {\n  workspace_id = %q\n}\n", secmaster.PlaybookAuditLogsTypeName, workspaceID),
		want:  wantAuditLogs, ids: auditLogIDs, idAttr: "instance_id",
		unknownParent: fmt.Sprintf("data %q \"x\" {\n  workspace_id = %q\n}\n", secmaster.PlaybookAuditLogsTypeName, "ws-9999"),
		parentStatus:  404, parentCode: "SecMaster.00040401", parentWhat: "ws-9999",
		wrongSecretStatus: 401, wrongSecretCode: "APIG.0301",
		throttleStatus: 429, throttleCode: "APIG.0308", serverErrorStatus: 500, errorCode: "SecMaster.00050001",
	},
	{
		name: "execution_logs", typ: oos.ExecutionLogsTypeName, api: emulator.APIExecutionLogs,
		summary: "Unable to list OOS execution logs", operation: "ListExecutionLogs",
		list: "execution_logs", offset: false,
		block: fmt.Sprintf("data %q \"x\" {\n  execution_id = %q\n}\n", oos.ExecutionLogsTypeName, executionID),
		want:  wantExecutionLogs, ids: executionLogIDs, idAttr: "message",
		unknownParent: fmt.Sprintf("data %q \"x\" {\n  execution_id = %q\n}\n", oos.ExecutionLogsTypeName, "exec-9999"),
		parentStatus:  404, parentCode: "EntityNotExists.Execution", parentWhat: "exec-9999",
		// Alibaba answers a bad signature with 400, not 401.
		wrongSecretStatus: 400, wrongSecretCode: "SignatureDoesNotMatch",
		throttleStatus: 400, throttleCode: "Throttling.User", serverErrorStatus: 503, errorCode: "ServiceUnavailable",
	},
})

// inCatalogOrder returns specs in the order of internal/catalog, one per
// data source there.
func inCatalogOrder(specs []source) []source {
	out := make([]source, 0, len(specs))
	for _, typeName := range catalog.TypeNames() {
		i := slices.IndexFunc(specs, func(s source) bool { return s.typ == typeName })
		if i < 0 {
			panic("faulttest: no fault specifics for " + typeName + ": add them to sources")
		}
		out = append(out, specs[i])
	}
	if len(out) != len(specs) {
		panic("faulttest: sources names a data source the catalog does not have")
	}
	return out
}

// allBlocks is one configuration body reading all four data sources.
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

func wantScriptRecords(d *emulator.Dataset) []map[string]any {
	var latest []emulator.ScriptRecord
	for _, r := range d.ScriptRecords {
		if !r.History { // only the latest records without show_history
			latest = append(latest, r)
		}
	}
	return acctest.Objects(workspace.ScriptRecordsTypeName, latest)
}

func scriptRecordIDs(d *emulator.Dataset) []string {
	var out []string
	for _, r := range d.ScriptRecords {
		if !r.History {
			out = append(out, r.ID)
		}
	}
	return out
}

func wantDesktopEvents(d *emulator.Dataset) []map[string]any {
	return acctest.Objects(workspace.DesktopEventsTypeName, d.ScreenRecords[screenRecord])
}

func desktopEventIDs(d *emulator.Dataset) []string {
	var out []string
	for _, e := range d.ScreenRecords[screenRecord] {
		out = append(out, e.ID)
	}
	return out
}

func wantAuditLogs(d *emulator.Dataset) []map[string]any {
	return acctest.Objects(secmaster.PlaybookAuditLogsTypeName, d.Workspaces[workspaceID])
}

func auditLogIDs(d *emulator.Dataset) []string {
	var out []string
	for _, l := range d.Workspaces[workspaceID] {
		out = append(out, l.InstanceID)
	}
	return out
}

func wantExecutionLogs(d *emulator.Dataset) []map[string]any {
	return acctest.Objects(oos.ExecutionLogsTypeName, d.Executions[executionID])
}

func executionLogIDs(d *emulator.Dataset) []string {
	var out []string
	for _, l := range d.Executions[executionID] {
		out = append(out, l.Message)
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

// withoutRune is acctest.DiagnosticPattern over the whole output, which
// moreover must not contain r anywhere.
func withoutRune(r rune, parts ...string) *regexp.Regexp {
	not := "[^" + regexp.QuoteMeta(string(r)) + "]*"
	q := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		q[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)\A` + not + strings.Join(q, not) + not + `\z`)
}

// withReadTimeout adds timeouts.read = d to a data source block.
func withReadTimeout(block, d string) string {
	i := strings.LastIndex(block, "}")
	head := block[:i]
	if !strings.HasSuffix(head, "\n") {
		head += "\n" // a block written on one line: "data ... {}"
	}
	return head + fmt.Sprintf("  timeouts = { read = %q }\n", d) + block[i:]
}
