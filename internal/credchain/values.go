package credchain

import (
	"fmt"
	"strings"
)

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
