package credchain

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the type of a setting's value.
type Kind uint8

// The kinds of settings.
const (
	String Kind = iota
	Int
	Bool
)

// Setting is one setting of a cloud's provider block: the one place that
// says its name, its environment variables in order of precedence, its
// type, whether it is secret and what makes it valid. The provider
// renders the schema attribute, the check for unknown values and the
// fallback to the environment from it.
type Setting struct {
	Name string
	// Env are the environment variables the setting falls back to, first
	// found wins.
	Env  []string
	Kind Kind
	// Sensitive: the value is a secret (masked in plans and logs).
	Sensitive bool
	// Min and Max bound an Int (both 0: no bound).
	Min, Max int64
	// ConflictsWith names another setting of the same block that must not
	// be set in the configuration with this one.
	ConflictsWith string
	// Pattern is a regular expression a configured String must match,
	// and Rule says it in words; the plan fails otherwise.
	Pattern, Rule string
	// EnvOnly: there is no attribute; only the environment sets it.
	EnvOnly bool
	// Description is the attribute's description (Markdown); the
	// environment variables are added by EnvSentence.
	Description string
}

// Block is a block of settings: the cloud's own block (Name "") or a
// block nested in it.
type Block struct {
	Name string
	// Repeats: the block may be written several times (a list, in order).
	Repeats     bool
	Description string
	Settings    []Setting
}

// Table is every setting of one cloud's provider block.
type Table struct {
	// Block is the name of the cloud's provider block ("huaweicloud").
	Block string
	// Blocks[0] is the cloud's own block (Name ""); the others nest in it.
	Blocks []Block
}

// Nested returns the nested block named name, or nil.
func (t *Table) Nested(name string) *Block {
	for i := range t.Blocks {
		if t.Blocks[i].Name == name && name != "" {
			return &t.Blocks[i]
		}
	}
	return nil
}

// Setting returns the setting name of block, or nil.
func (b *Block) Setting(name string) *Setting {
	for i := range b.Settings {
		if b.Settings[i].Name == name {
			return &b.Settings[i]
		}
	}
	return nil
}

// Name names the setting name of the nested block block ("" for the
// cloud's own block) with its environment variables, as Values.Name does,
// for messages written before any value is resolved.
func (t *Table) Name(block, name string) string {
	b := &t.Blocks[0]
	if block != "" {
		b = t.Nested(block)
	}
	return (&Values{table: t, block: b, index: -1}).Name(name)
}

// EnvSentence is the sentence that documents a setting's environment
// variables: "Environment: `A`, then `B`." ("" without any).
func (s *Setting) EnvSentence() string {
	if len(s.Env) == 0 {
		return ""
	}
	q := make([]string, len(s.Env))
	for i, e := range s.Env {
		q[i] = "`" + e + "`"
	}
	return "Environment: " + strings.Join(q, ", then ") + "."
}

// Value is a setting's value: set or not, and where it came from.
type Value struct {
	Str  string
	Int  int64
	Bool bool
	Set  bool
	// Env is the environment variable the value came from; "" when the
	// configuration set it.
	Env string
}

// Written is a block instance as the configuration writes it: the values
// set there, by setting name.
type Written map[string]Value

// Config is a cloud's block as the configuration writes it.
type Config struct {
	// Top is the cloud's own block (nil: not written).
	Top Written
	// Nested holds each nested block's instances in order (none: not
	// written).
	Nested map[string][]Written
}

// Values are the resolved settings of one block instance.
type Values struct {
	table *Table
	block *Block
	// index is the instance's position in a repeated block, -1 otherwise.
	index int
	// InConfig: the block is written in the configuration. A block that is
	// not gets one instance from the environment alone, which a cloud's
	// chain uses or not by its own rules (CI systems set variables, not
	// blocks).
	InConfig bool
	vals     map[string]Value
}

// Resolved is a cloud's whole block resolved against the environment.
type Resolved struct {
	Table  *Table
	Top    *Values
	nested map[string][]*Values
}

// Blocks returns the instances of the nested block name: those the
// configuration writes, in order, or else one from the environment alone.
func (r *Resolved) Blocks(name string) []*Values { return r.nested[name] }

// Resolve merges the configuration with the environment: a value the
// configuration sets wins; otherwise the first of the setting's
// environment variables that is set and not empty. An environment value
// of an Int or Bool setting that does not parse, or an Int out of its
// bounds, is an error naming the variable.
func (t *Table) Resolve(c Config, getenv func(string) string) (*Resolved, error) {
	r := &Resolved{Table: t, nested: map[string][]*Values{}}
	var err error
	if r.Top, err = t.resolveBlock(&t.Blocks[0], c.Top, c.Top != nil, -1, getenv); err != nil {
		return nil, err
	}
	for i := range t.Blocks[1:] {
		b := &t.Blocks[i+1]
		written := c.Nested[b.Name]
		if len(written) == 0 {
			v, err := t.resolveBlock(b, nil, false, -1, getenv)
			if err != nil {
				return nil, err
			}
			r.nested[b.Name] = []*Values{v}
			continue
		}
		for j, w := range written {
			idx := -1
			if b.Repeats && len(written) > 1 {
				idx = j
			}
			v, err := t.resolveBlock(b, w, true, idx, getenv)
			if err != nil {
				return nil, err
			}
			r.nested[b.Name] = append(r.nested[b.Name], v)
		}
	}
	return r, nil
}

func (t *Table) resolveBlock(b *Block, w Written, inConfig bool, index int, getenv func(string) string) (*Values, error) {
	v := &Values{table: t, block: b, index: index, InConfig: inConfig, vals: map[string]Value{}}
	for i := range b.Settings {
		s := &b.Settings[i]
		if cv, ok := w[s.Name]; ok && cv.Set && !s.EnvOnly {
			cv.Env = ""
			v.vals[s.Name] = cv
			continue
		}
		for _, name := range s.Env {
			raw := getenv(name)
			if raw == "" {
				continue
			}
			val, err := s.parse(name, raw)
			if err != nil {
				return nil, err
			}
			v.vals[s.Name] = val
			break
		}
	}
	return v, nil
}

// parse reads an environment variable's value as the setting's kind.
func (s *Setting) parse(env, raw string) (Value, error) {
	val := Value{Set: true, Env: env, Str: raw}
	switch s.Kind {
	case Int:
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("the environment variable %s (%s) = %q is not a whole number", env, s.Name, raw)
		}
		if (s.Min != 0 || s.Max != 0) && (n < s.Min || n > s.Max) {
			return Value{}, fmt.Errorf("the environment variable %s (%s) = %d is not between %d and %d", env, s.Name, n, s.Min, s.Max)
		}
		val.Int = n
	case Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return Value{}, fmt.Errorf("the environment variable %s (%s) = %q is not true or false", env, s.Name, raw)
		}
		val.Bool = b
	}
	return val, nil
}

// Has reports whether the setting is set (by the configuration or the
// environment).
func (v *Values) Has(name string) bool { return v.vals[name].Set }

// Any reports whether any of the settings is set.
func (v *Values) Any(names ...string) bool {
	for _, n := range names {
		if v.Has(n) {
			return true
		}
	}
	return false
}

// FromEnv reports whether a set setting's value came from the
// environment.
func (v *Values) FromEnv(name string) bool { return v.vals[name].Env != "" }

// Env is the environment variable a setting's value came from ("" when
// the configuration set it, or nothing did).
func (v *Values) Env(name string) string { return v.vals[name].Env }

// Str is a String setting's value ("" when unset).
func (v *Values) Str(name string) string { return v.vals[name].Str }

// Int is an Int setting's value (0 when unset).
func (v *Values) Int(name string) int64 { return v.vals[name].Int }

// Bool is a Bool setting's value (false when unset).
func (v *Values) Bool(name string) bool { return v.vals[name].Bool }

// Path is the block instance's place in the configuration
// ("huaweicloud.assume_role[1]").
func (v *Values) Path() string {
	p := v.table.Block
	if v.block.Name != "" {
		p += "." + v.block.Name
	}
	if v.index >= 0 {
		p += fmt.Sprintf("[%d]", v.index)
	}
	return p
}

// Label is the block instance's name inside the cloud's block
// ("assume_role", "assume_role[1]"; "" for the cloud's own block).
func (v *Values) Label() string {
	if v.block.Name == "" {
		return ""
	}
	if v.index >= 0 {
		return fmt.Sprintf("%s[%d]", v.block.Name, v.index)
	}
	return v.block.Name
}

// local is the setting's name as errors write it: with its block inside
// the cloud's block ("assume_role[1].agency_name").
func (v *Values) local(name string) string {
	if l := v.Label(); l != "" {
		return l + "." + name
	}
	return name
}

// Name names a setting and its environment variables for errors that ask
// to set or check it: "assume_role.agency_name (HW_ASSUME_ROLE_AGENCY_NAME)".
func (v *Values) Name(name string) string {
	s := v.block.Setting(name)
	if s == nil {
		panic("credchain: no setting " + name + " in block " + v.Path())
	}
	if s.EnvOnly {
		return "the environment variable " + strings.Join(s.Env, " or ")
	}
	if len(s.Env) == 0 {
		return v.local(name)
	}
	return v.local(name) + " (" + strings.Join(s.Env, ", ") + ")"
}

// Origin names where a set setting's value came from: "access_key
// (HW_ACCESS_KEY, ...) in the provider's huaweicloud block" or
// "access_key from the environment variable HW_ACCESS_KEY"; Name when it
// is unset. Either way the error that carries it names the setting and
// its environment variables.
func (v *Values) Origin(name string) string {
	val := v.vals[name]
	switch {
	case !val.Set:
		return v.Name(name)
	case v.block.Setting(name).EnvOnly:
		return "the environment variable " + val.Env
	case val.Env != "":
		return v.local(name) + " from the environment variable " + val.Env
	default:
		return v.Name(name) + " in the provider's " + v.table.Block + " block"
	}
}
