package credchain

import (
	"strconv"
	"strings"
)

// Identity says who a cloud's credentials are, from the settings named
// (by block: "" is the cloud's own block, then the nested blocks'
// names), as the configuration and the environment set them: the
// settings that name the signer (an access key id, a profile, a role),
// never a secret. It keys what the provider's processes share about a
// host (the pacers' state, internal/transport/share.go), which hashes it
// and never writes it. "" when none of them is set.
func (r *Resolved) Identity(names map[string][]string) string {
	if r == nil {
		return ""
	}
	var b strings.Builder
	add := func(block string, index int, v *Values) {
		for _, name := range names[block] {
			val := v.vals[name]
			s := v.block.Setting(name)
			if !val.Set || s == nil {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(block + "[" + strconv.Itoa(index) + "]." + name + "=")
			switch s.Kind {
			case Bool:
				b.WriteString(strconv.FormatBool(val.Bool))
			case Int:
				b.WriteString(strconv.FormatInt(val.Int, 10))
			default:
				b.WriteString(val.Str)
			}
		}
	}
	add("", 0, r.Top)
	for _, blk := range r.Table.Blocks[1:] {
		for i, v := range r.Blocks(blk.Name) {
			add(blk.Name, i, v)
		}
	}
	return b.String()
}
