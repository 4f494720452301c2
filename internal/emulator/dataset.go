package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Dataset is everything the emulator serves. It is read-only while a Server
// uses it. Its JSON form is the fixture format read by LoadFixture and written
// by WriteFixture: "projects", then each API's part under its key (see the
// plug-ins, api_*.go), in the order of the APIs.
type Dataset struct {
	// Projects maps a Huawei region name to its project id (IAM).
	Projects map[string]string `json:"projects"`
	// parts holds each API's data by its JSON key: a slice of its items
	// or a map of parent id to items (see itemList and itemGroups).
	parts map[string]any
}

// part is an API's share of the Dataset: its JSON key and type, how it is
// normalised, validated, generated and summarised.
type part interface {
	key() string
	typ() reflect.Type
	// normalize returns v (nil when absent) with nil maps and slices
	// made empty.
	normalize(v any) any
	validate(v any) error
	// sizes are the sizes its generator takes.
	sizes() []SizeFlag
	generate(rng *rand.Rand, sz Sizes, end time.Time) any
	summary(v any) APISummary
}

// dataParts are the parts of every registered API that has one, in order.
func dataParts() []part {
	var out []part
	for _, a := range registry {
		if a.data != nil {
			out = append(out, a.data)
		}
	}
	return out
}

// get returns p's data, made (empty) when the dataset has none yet.
func (d *Dataset) get(p part) any {
	v, ok := d.parts[p.key()]
	if !ok {
		v = p.normalize(nil)
		d.put(p, v)
	}
	return v
}

func (d *Dataset) put(p part, v any) {
	if d.parts == nil {
		d.parts = map[string]any{}
	}
	d.parts[p.key()] = v
}

// itemList is a part that is one list of items, in answer order (an API
// without a parent).
type itemList[T any] struct {
	jsonKey string
	size    SizeFlag
	gen     func(rng *rand.Rand, n int, end time.Time) []T
	sum     summarySpec[T]
}

func (l *itemList[T]) key() string        { return l.jsonKey }
func (l *itemList[T]) typ() reflect.Type  { return reflect.TypeFor[[]T]() }
func (l *itemList[T]) sizes() []SizeFlag  { return []SizeFlag{l.size} }
func (l *itemList[T]) validate(any) error { return nil }

func (l *itemList[T]) normalize(v any) any {
	if items, _ := v.([]T); items != nil {
		return items
	}
	return []T{}
}

func (l *itemList[T]) generate(rng *rand.Rand, sz Sizes, end time.Time) any {
	return l.gen(rng, max(sz[l.size.Name], 0), end)
}

func (l *itemList[T]) summary(v any) APISummary {
	items, _ := v.([]T)
	return l.sum.summarize(map[string][]T{"": items})
}

// of is the part's items in d.
func (l *itemList[T]) of(d *Dataset) []T {
	items, _ := d.get(l).([]T)
	return items
}

func (l *itemList[T]) set(d *Dataset, items []T) { d.put(l, items) }

// itemGroups is a part whose items belong to parents: parent id to its
// items, in answer order.
type itemGroups[T any] struct {
	jsonKey string
	// parent is what a parent is, for errors ("screen record").
	parent string
	// parents and per are the sizes: how many parents, how many items
	// each.
	parents, per SizeFlag
	gen          func(rng *rand.Rand, n, per int, end time.Time) map[string][]T
	sum          summarySpec[T]
}

func (g *itemGroups[T]) key() string       { return g.jsonKey }
func (g *itemGroups[T]) typ() reflect.Type { return reflect.TypeFor[map[string][]T]() }
func (g *itemGroups[T]) sizes() []SizeFlag { return []SizeFlag{g.parents, g.per} }

func (g *itemGroups[T]) normalize(v any) any {
	m, _ := v.(map[string][]T)
	if m == nil {
		m = map[string][]T{}
	}
	for k, items := range m {
		if items == nil {
			m[k] = []T{}
		}
	}
	return m
}

func (g *itemGroups[T]) validate(v any) error {
	m, _ := v.(map[string][]T)
	for k := range m {
		if k == "" {
			return fmt.Errorf("%s: empty %s id", g.jsonKey, g.parent)
		}
	}
	return nil
}

func (g *itemGroups[T]) generate(rng *rand.Rand, sz Sizes, end time.Time) any {
	return g.gen(rng, max(sz[g.parents.Name], 0), max(sz[g.per.Name], 0), end)
}

func (g *itemGroups[T]) summary(v any) APISummary {
	m, _ := v.(map[string][]T)
	return g.sum.summarize(m)
}

// of is the part's items by parent in d.
func (g *itemGroups[T]) of(d *Dataset) map[string][]T {
	m, _ := d.get(g).(map[string][]T)
	return m
}

func (g *itemGroups[T]) set(d *Dataset, m map[string][]T) { d.put(g, m) }

// ProjectID is the project id the generator gives a Huawei region: the first
// 32 hex digits of SHA-256("opsaudit-emulator/project/" + region).
func ProjectID(region string) string {
	sum := sha256.Sum256([]byte("opsaudit-emulator/project/" + region))
	return hex.EncodeToString(sum[:16])
}

// DomainID is the account (domain) id the emulated IAM reports for every project.
func DomainID() string {
	sum := sha256.Sum256([]byte("opsaudit-emulator/domain"))
	return hex.EncodeToString(sum[:16])
}

// LoadFixture reads a Dataset from the JSON file at path. Unknown fields are
// an error (they are usually typos); missing maps become empty maps.
func LoadFixture(path string) (*Dataset, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the user names their own fixture file
	if err != nil {
		return nil, fmt.Errorf("read fixture: %w", err)
	}
	d, err := parseFixture(b)
	if err != nil {
		return nil, fmt.Errorf("fixture %s: %w", path, err)
	}
	return d, nil
}

func parseFixture(b []byte) (*Dataset, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	doc := reflect.New(fixtureType())
	if err := dec.Decode(doc.Interface()); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(b, se.Offset)
			return nil, fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
		case errors.As(err, &te):
			// Name the Dataset, not the struct the fixture is read into.
			if te.Type == doc.Type().Elem() {
				te.Type = reflect.TypeFor[Dataset]()
			}
			if te.Struct == "" && te.Field != "" {
				te.Struct = "Dataset"
			}
			te.Field = withoutEmbedded(te.Field, doc.Type().Elem())
			line, col := lineCol(b, te.Offset)
			return nil, fmt.Errorf("wrong type at line %d, column %d: %w", line, col, err)
		case errors.Is(err, io.EOF):
			return nil, errors.New("empty file, want a JSON object")
		}
		return nil, fmt.Errorf("invalid dataset: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the dataset object")
	}
	d := fromFixture(doc.Elem())
	d.normalize()
	if err := d.validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// fixtureType is the struct the fixture format is: "projects", then each
// API's part under its key, in order.
func fixtureType() reflect.Type {
	fields := []reflect.StructField{{Name: "Projects", Type: reflect.TypeFor[map[string]string](), Tag: `json:"projects"`}}
	for i, p := range dataParts() {
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("Part%d", i), Type: p.typ(),
			Tag: reflect.StructTag(fmt.Sprintf("json:%q", p.key()))})
	}
	return reflect.StructOf(fields)
}

// withoutEmbedded is a field path of a decoding error without the names
// of the structs embedded in t's items (an item type that embeds its
// answer's fields): the path of the JSON keys.
func withoutEmbedded(path string, t reflect.Type) string {
	embedded := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Map, reflect.Slice, reflect.Pointer:
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if f := t.Field(i); f.Anonymous {
					embedded[f.Name] = true
					walk(f.Type)
				}
			}
		}
	}
	for i := range t.NumField() {
		walk(t.Field(i).Type)
	}
	segs := strings.Split(path, ".")
	segs = slices.DeleteFunc(segs, func(s string) bool { return embedded[s] })
	return strings.Join(segs, ".")
}

// fromFixture is the dataset of a fixture struct (fixtureType).
func fromFixture(v reflect.Value) *Dataset {
	d := &Dataset{}
	d.Projects, _ = v.Field(0).Interface().(map[string]string)
	for i, p := range dataParts() {
		d.put(p, v.Field(i+1).Interface())
	}
	return d
}

// toFixture is d as a fixture struct (fixtureType).
func (d *Dataset) toFixture() any {
	v := reflect.New(fixtureType()).Elem()
	v.Field(0).Set(reflect.ValueOf(d.Projects))
	for i, p := range dataParts() {
		if pv, ok := d.parts[p.key()]; ok {
			v.Field(i + 1).Set(reflect.ValueOf(pv))
		}
	}
	return v.Interface()
}

// UnmarshalJSON decodes the fixture format, as strictly as LoadFixture.
func (d *Dataset) UnmarshalJSON(b []byte) error {
	nd, err := parseFixture(b)
	if err != nil {
		return err
	}
	*d = *nd
	return nil
}

// MarshalJSON encodes d in the fixture format.
func (d *Dataset) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.toFixture()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// normalize replaces nil maps and slices with empty ones.
func (d *Dataset) normalize() {
	if d.Projects == nil {
		d.Projects = map[string]string{}
	}
	for _, p := range dataParts() {
		d.put(p, p.normalize(d.parts[p.key()]))
	}
}

func (d *Dataset) validate() error {
	seen := map[string]string{}
	for region, id := range d.Projects {
		if region == "" || id == "" {
			return fmt.Errorf("projects: empty region or project id (%q: %q)", region, id)
		}
		if other, ok := seen[id]; ok {
			return fmt.Errorf("projects: project id %q used by regions %q and %q", id, other, region)
		}
		seen[id] = region
	}
	for _, p := range dataParts() {
		if err := p.validate(d.parts[p.key()]); err != nil {
			return err
		}
	}
	return nil
}

// WriteFixture writes the dataset as indented JSON to path (mode 0600),
// in the format LoadFixture reads.
func (d *Dataset) WriteFixture(path string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d.toFixture()); err != nil {
		return fmt.Errorf("encode fixture: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write fixture: %w", err)
	}
	return nil
}
