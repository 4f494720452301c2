package credchain

import (
	"strings"
)

// The nested blocks both clouds' tables have, by the names the provider's
// configuration gives them.
const (
	BlockAssumeRole = "assume_role"
	BlockOIDC       = "assume_role_with_oidc"
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
