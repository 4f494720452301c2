package acctest

import (
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// IDForm is the form of every data source's id: 32 lower-case hex digits.
var IDForm = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ExpectIDForm is a state check that the id of the data source at address
// has IDForm.
func ExpectIDForm(address string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringRegexp(IDForm))
}

// CompareIDs is a state check comparing the ids of the data sources at
// addresses a and b with cmp (compare.ValuesSame(), compare.ValuesDiffer()).
func CompareIDs(a, b string, cmp compare.ValueComparer) statecheck.StateCheck {
	id := tfjsonpath.New("id")
	return statecheck.CompareValuePairs(a, id, b, id, cmp)
}

// Query returns the decoded query of a recorded request; one that does
// not decode fails t.
func Query(t testing.TB, r emulator.RecordedRequest) url.Values {
	t.Helper()
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		t.Fatalf("query %q: %v", r.RawQuery, err)
	}
	return q
}

// CheckStatuses reports an error on t for every request in reqs answered
// with a status not in allowed, and returns how many requests were answered
// with each status.
func CheckStatuses(t testing.TB, reqs []emulator.RecordedRequest, allowed ...int) map[int]int {
	t.Helper()
	counts := map[int]int{}
	for i, r := range reqs {
		counts[r.Status]++
		if !slices.Contains(allowed, r.Status) {
			t.Errorf("request %d (%s %s) was answered %d, want only %v", i, r.Method, r.Path, r.Status, allowed)
		}
	}
	return counts
}

// ExpectRead are the state checks of a read of the data source typeName
// at address that returned want (in the form Objects gives), the first
// of total matches: its id has IDForm, its list holds want, total_count
// is total where the data source has one, and status_counts counts the
// statuses of want where it has them.
func ExpectRead(typeName, address string, want []map[string]any, total int) []statecheck.StateCheck {
	spec := catalog.ByTypeName(typeName).Spec()
	out := []statecheck.StateCheck{ExpectIDForm(address), ExpectObjects(address, spec.List, want)}
	if spec.TotalCount != "" {
		out = append(out, statecheck.ExpectKnownValue(address, tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(total))))
	}
	if spec.StatusCounts != "" {
		n := map[string]int64{}
		for _, item := range want {
			if s, ok := item["status"].(string); ok {
				n[s]++
			}
		}
		counts := map[string]knownvalue.Check{}
		for k, v := range n {
			counts[k] = knownvalue.Int64Exact(v)
		}
		out = append(out, statecheck.ExpectKnownValue(address, tfjsonpath.New("status_counts"), knownvalue.MapExact(counts)))
	}
	return out
}
