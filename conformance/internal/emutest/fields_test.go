package emutest

import (
	"strings"
	"testing"
)

// NoFieldLost is what the SDK tests assert about every answer: it must
// fail when the SDK's model loses a member or changes a value, and pass
// when it only adds members or writes a time back in whole seconds.
func TestNoFieldLost(t *testing.T) {
	raw := []byte(`{"items":[{"id":"a","n":7,"at":"2026-11-20T12:00:00.250Z","tags":[{"k":"x"}]}],"count":1}`)
	type tag struct {
		K string `json:"k"`
		V string `json:"v"`
	}
	type full struct {
		ID    string `json:"id"`
		N     int    `json:"n"`
		At    string `json:"at"`
		Tags  []tag  `json:"tags"`
		Extra string `json:"extra"`
	}
	if err := NoFieldLost(raw, "items", []full{{ID: "a", N: 7, At: "2026-11-20T20:00:00+08:00", Tags: []tag{{K: "x"}}}}, "at"); err != nil {
		t.Errorf("a model that keeps every member: %v", err)
	}

	type noN struct {
		ID   string `json:"id"`
		At   string `json:"at"`
		Tags []tag  `json:"tags"`
	}
	type noK struct {
		ID   string `json:"id"`
		N    int    `json:"n"`
		At   string `json:"at"`
		Tags []struct {
			V string `json:"v"`
		} `json:"tags"`
	}
	for name, c := range map[string]struct {
		items any
		want  string
	}{
		"a member lost": {[]noN{{ID: "a", At: "2026-11-20T12:00:00Z", Tags: []tag{{K: "x"}}}}, "items[0].n = 7 in the answer, lost"},
		"a nested member lost": {[]noK{{ID: "a", N: 7, At: "2026-11-20T12:00:00Z", Tags: []struct {
			V string `json:"v"`
		}{{}}}}, "items[0].tags[0].k = x in the answer, lost"},
		"a value changed": {[]full{{ID: "b", N: 7, At: "2026-11-20T12:00:00Z", Tags: []tag{{K: "x"}}}}, `items[0].id = "a" in the answer, "b" decoded`},
		"another instant": {[]full{{ID: "a", N: 7, At: "2026-11-20T12:00:01Z", Tags: []tag{{K: "x"}}}}, "items[0].at: 2026-11-20T12:00:00.250Z in the answer"},
		"an item lost":    {[]full{}, "1 items in the answer, 0 decoded"},
	} {
		err := NoFieldLost(raw, "items", c.items, "at")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", name, err, c.want)
		}
	}
}
