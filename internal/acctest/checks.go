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
