package emutest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// NoFieldLost checks an SDK's decoding of one answer: the items under
// listKey in the raw answer body, and the items the SDK decoded
// (sdkItems, a slice of its model, which json.Marshal gives back under
// the model's names). Every member of every raw item must come back from
// the SDK's item with the same value. Members named in timeKeys are held
// to the same instant instead (the SDK's time type keeps the instant,
// not the text); a raw "" there may come back as the zero time.
func NoFieldLost(raw []byte, listKey string, sdkItems any, timeKeys ...string) error {
	var answer map[string]json.RawMessage
	if err := json.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("raw answer: %w", err)
	}
	var rawItems []map[string]any
	if err := decodeNumbers(answer[listKey], &rawItems); err != nil {
		return fmt.Errorf("raw %s: %w", listKey, err)
	}
	b, err := json.Marshal(sdkItems)
	if err != nil {
		return fmt.Errorf("SDK items: %w", err)
	}
	var got []map[string]any
	if err := decodeNumbers(b, &got); err != nil {
		return fmt.Errorf("SDK items: %w", err)
	}
	if len(got) != len(rawItems) {
		return fmt.Errorf("%s: %d items in the answer, %d decoded by the SDK", listKey, len(rawItems), len(got))
	}
	isTime := map[string]bool{}
	for _, k := range timeKeys {
		isTime[k] = true
	}
	for i, item := range rawItems {
		if len(item) == 0 {
			return fmt.Errorf("%s[%d] is empty: nothing to compare", listKey, i)
		}
		for k, want := range item {
			have, ok := got[i][k]
			if !ok {
				return fmt.Errorf("%s[%d].%s = %v in the answer, lost by the SDK's model", listKey, i, k, want)
			}
			if isTime[k] {
				if err := sameInstant(want, have); err != nil {
					return fmt.Errorf("%s[%d].%s: %w", listKey, i, k, err)
				}
				continue
			}
			if err := contains(want, have); err != nil {
				return fmt.Errorf("%s[%d].%s%w", listKey, i, k, err)
			}
		}
	}
	return nil
}

// contains reports where have lacks something of want: objects member by
// member (have may hold more members, such as a model's empty fields),
// lists item by item, other values by their text.
func contains(want, have any) error {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			return fmt.Errorf(" is an object in the answer, %v decoded by the SDK", have)
		}
		for k, v := range w {
			hv, ok := h[k]
			if !ok {
				return fmt.Errorf(".%s = %v in the answer, lost by the SDK's model", k, v)
			}
			if err := contains(v, hv); err != nil {
				return fmt.Errorf(".%s%w", k, err)
			}
		}
		return nil
	case []any:
		h, ok := have.([]any)
		if !ok || len(h) != len(w) {
			return fmt.Errorf(" = %v in the answer, %v decoded by the SDK", want, have)
		}
		for i := range w {
			if err := contains(w[i], h[i]); err != nil {
				return fmt.Errorf("[%d]%w", i, err)
			}
		}
		return nil
	}
	if fmt.Sprint(want) != fmt.Sprint(have) {
		return fmt.Errorf(" = %q in the answer, %q decoded by the SDK", fmt.Sprint(want), fmt.Sprint(have))
	}
	return nil
}

func decodeNumbers(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

func sameInstant(want, have any) error {
	ws, _ := want.(string)
	hs, _ := have.(string)
	if ws == "" {
		if hs == "" || hs == "0001-01-01T00:00:00Z" {
			return nil
		}
		return fmt.Errorf("empty in the answer, %q decoded by the SDK", hs)
	}
	wt, err := time.Parse(time.RFC3339Nano, ws)
	if err != nil {
		return fmt.Errorf("%q in the answer is not RFC 3339", ws)
	}
	ht, err := time.Parse(time.RFC3339Nano, hs)
	if err != nil {
		return fmt.Errorf("%q decoded by the SDK is not RFC 3339", hs)
	}
	// The SDK's time type writes whole seconds back.
	if !wt.Truncate(time.Second).Equal(ht.Truncate(time.Second)) {
		return fmt.Errorf("%s in the answer, %s decoded by the SDK", ws, hs)
	}
	return nil
}

// NothingLost checks that decoded (an SDK's decoding of a whole answer,
// given back by json.Marshal) holds every member of the raw answer with
// the same value.
func NothingLost(raw []byte, decoded any) error {
	var want any
	if err := decodeNumbers(raw, &want); err != nil {
		return fmt.Errorf("raw answer: %w", err)
	}
	b, err := json.Marshal(decoded)
	if err != nil {
		return err
	}
	var have any
	if err := decodeNumbers(b, &have); err != nil {
		return err
	}
	if err := contains(want, have); err != nil {
		return fmt.Errorf("answer%w", err)
	}
	return nil
}
