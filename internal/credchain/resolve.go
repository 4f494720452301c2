package credchain

import (
	"fmt"
	"strconv"
	"strings"
)

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
