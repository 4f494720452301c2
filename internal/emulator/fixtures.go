package emulator

import "net/http"

// Fixture is what the suites that read every list API (the fault suite in
// internal/faulttest, the benchmarks in internal/bench, the direct-read
// server's comparison in internal/provider and the ephemeral twins' test
// in internal/listread) need of one API the emulator serves: which data
// source reads it, with which arguments, what that read returns from a
// dataset, and how the API answers errors. A list API's plug-in declares
// its fixture (api_*.go); those suites iterate the provider's catalog and
// fail naming a data source that has no fixture here.
type Fixture struct {
	// TypeName is the provider's data source that reads the API.
	TypeName string
	// Name is a short name, for subtests and benchmarks.
	Name string
	// API is the API's name in Recorded, Requests and Faults (from the
	// plug-in).
	API string
	// Operation is the API operation its errors name.
	Operation string
	// TotalField and ListField are the answer's fields holding the total
	// (empty when it has none) and the items (from the plug-in).
	TotalField, ListField string
	// Sizes are the sizes of a dataset whose read with Args returns n
	// items.
	Sizes func(n int) Sizes
	// Pages is an n whose read takes two or three pages.
	Pages int
	// MaxItems is the most items one read is served (0: no limit).
	MaxItems int
	// Args are the string arguments of a read of the first generated
	// parent (of every item, for an API without a parent); Filter, with
	// Args, selects some of its items.
	Args, Filter map[string]string
	// Items are the items the read with Args returns from d, in order: a
	// slice of the dataset's item type.
	Items func(d *Dataset) any
	// Key is the item attribute reads are compared by, item by item (its
	// id when it has one).
	Key string
	// Mark hides marker in a text field of the first item of Items.
	Mark func(d *Dataset, marker string)
	// UnknownParent are the arguments of a read of a parent that does not
	// exist; the API answers it ParentStatus with ParentCode, its message
	// (or the provider's detail) naming ParentWhat; without ParentCode,
	// its plug-in's not-found answer (404, codes.NotFound). An API without a
	// parent that can be unknown leaves the four empty (UnknownParent
	// nil), and the suites skip that case for it.
	UnknownParent          map[string]string
	ParentStatus           int
	ParentCode, ParentWhat string
	// Gateway is the cloud's answers to a bad signature and to
	// throttling, and ServerErrorStatus and ServerErrorCode the API's to
	// Faults.ServerErrorEvery (from the plug-in).
	Gateway
	ServerErrorStatus int
	ServerErrorCode   string
}

// Gateway is how a cloud's API gateway answers a bad signature and
// throttling: the same for every API of the cloud.
type Gateway struct {
	WrongSecretStatus int // the answer to a bad signature
	WrongSecretCode   string
	ThrottleStatus    int // the answer to Faults.ThrottleEvery
	ThrottleCode      string
}

// Fixtures are the fixtures of every list API the emulator serves, in the
// APIs' order: each plug-in's, completed with what the plug-in says of
// its answers and errors.
func Fixtures() []Fixture {
	var out []Fixture
	for _, a := range registry {
		if a.fixture == nil {
			continue
		}
		f := a.fixture()
		f.API = a.name
		f.TotalField, f.ListField = a.hostile.count, a.hostile.list
		f.Gateway = a.cloud.gateway
		f.ServerErrorStatus, f.ServerErrorCode = a.cloud.serverErrorStatus, a.codes.ServerError
		if f.UnknownParent != nil && f.ParentCode == "" {
			f.ParentStatus, f.ParentCode = http.StatusNotFound, a.codes.NotFound
		}
		out = append(out, f)
	}
	return out
}

// fixture completes f for an API whose read with f.Args returns the items
// of the first generated parent, id: its sizes (one parent of n items),
// items and marker, hidden in the text field marked gives.
func (g *itemGroups[T]) fixture(f Fixture, id string, marked func(*T) *string) Fixture {
	f.Sizes = func(n int) Sizes { return Sizes{g.parents.Name: 1, g.per.Name: n} }
	f.Items = func(d *Dataset) any { return g.of(d)[id] }
	f.Mark = func(d *Dataset, marker string) { *marked(&g.of(d)[id][0]) = marker }
	return f
}
