package provider

import (
	"regexp"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// A cloud's block is rendered from its table of settings
// (huaweicloud.Settings, alicloud.Settings): the schema's attributes and
// nested blocks, the check for values unknown at plan time, and the
// reading of the configuration that credchain.Table.Resolve merges with
// the environment. Adding a setting is one line of its table.

// tableAttributes are the schema attributes of block b.
func tableAttributes(b *credchain.Block) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for i := range b.Settings {
		s := &b.Settings[i]
		if s.EnvOnly {
			continue
		}
		desc := s.Description
		if env := s.EnvSentence(); env != "" {
			desc += " " + env
		}
		switch s.Kind {
		case credchain.Int:
			a := schema.Int64Attribute{Optional: true, Sensitive: s.Sensitive, MarkdownDescription: desc}
			if s.Min != 0 || s.Max != 0 {
				a.Validators = []validator.Int64{int64validator.Between(s.Min, s.Max)}
			}
			out[s.Name] = a
		case credchain.Bool:
			out[s.Name] = schema.BoolAttribute{Optional: true, Sensitive: s.Sensitive, MarkdownDescription: desc}
		default:
			a := schema.StringAttribute{Optional: true, Sensitive: s.Sensitive, MarkdownDescription: desc}
			if s.ConflictsWith != "" {
				a.MarkdownDescription += " Conflicts with `" + s.ConflictsWith + "`."
				a.Validators = append(a.Validators, stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName(s.ConflictsWith)))
			}
			if s.Pattern != "" {
				a.Validators = append(a.Validators, stringvalidator.RegexMatches(regexp.MustCompile(s.Pattern), "must be "+s.Rule))
			}
			out[s.Name] = a
		}
	}
	return out
}

// tableBlocks are the nested blocks of table t.
func tableBlocks(t *credchain.Table) map[string]schema.Block {
	out := map[string]schema.Block{}
	for i := range t.Blocks[1:] {
		b := &t.Blocks[i+1]
		if b.Repeats {
			out[b.Name] = schema.ListNestedBlock{MarkdownDescription: b.Description,
				NestedObject: schema.NestedBlockObject{Attributes: tableAttributes(b)}}
			continue
		}
		out[b.Name] = schema.SingleNestedBlock{MarkdownDescription: b.Description, Attributes: tableAttributes(b)}
	}
	return out
}

// readTable reads a cloud's block obj (null when not written) as t
// describes it: the values the configuration sets, and the paths of
// those not known yet (appended to unknown).
func readTable(t *credchain.Table, obj types.Object, unknown *[]path.Path) credchain.Config {
	root := path.Root(t.Block)
	var cfg credchain.Config
	if obj.IsUnknown() {
		*unknown = append(*unknown, root)
		return cfg
	}
	if obj.IsNull() {
		return cfg
	}
	attrs := obj.Attributes()
	cfg.Top = readBlock(&t.Blocks[0], attrs, root, unknown)
	cfg.Nested = map[string][]credchain.Written{}
	for i := range t.Blocks[1:] {
		b := &t.Blocks[i+1]
		p := root.AtName(b.Name)
		v := attrs[b.Name]
		switch {
		case v == nil || v.IsNull():
		case v.IsUnknown():
			*unknown = append(*unknown, p)
		case b.Repeats:
			list, _ := v.(types.List)
			for j, e := range list.Elements() {
				if o, ok := e.(types.Object); ok && !o.IsNull() {
					cfg.Nested[b.Name] = append(cfg.Nested[b.Name], readBlock(b, o.Attributes(), p.AtListIndex(j), unknown))
				}
			}
		default:
			if o, ok := v.(types.Object); ok {
				cfg.Nested[b.Name] = []credchain.Written{readBlock(b, o.Attributes(), p, unknown)}
			}
		}
	}
	return cfg
}

// readBlock reads the settings of b set in attrs. An empty string is
// unset (it falls back to the environment, as an omitted value does).
func readBlock(b *credchain.Block, attrs map[string]attr.Value, p path.Path, unknown *[]path.Path) credchain.Written {
	w := credchain.Written{}
	for i := range b.Settings {
		s := &b.Settings[i]
		v, ok := attrs[s.Name]
		if s.EnvOnly || !ok || v.IsNull() {
			continue
		}
		if v.IsUnknown() {
			*unknown = append(*unknown, p.AtName(s.Name))
			continue
		}
		switch tv := v.(type) {
		case types.String:
			if tv.ValueString() != "" {
				w[s.Name] = credchain.Value{Str: tv.ValueString(), Set: true}
			}
		case types.Int64:
			w[s.Name] = credchain.Value{Int: tv.ValueInt64(), Str: strconv.FormatInt(tv.ValueInt64(), 10), Set: true}
		case types.Bool:
			w[s.Name] = credchain.Value{Bool: tv.ValueBool(), Str: strconv.FormatBool(tv.ValueBool()), Set: true}
		}
	}
	return w
}

// tableSecrets are the values of the sensitive settings of r, for
// masking from the start.
func tableSecrets(r *credchain.Resolved) []string {
	var out []string
	add := func(v *credchain.Values, b *credchain.Block) {
		for _, s := range b.Settings {
			if s.Sensitive && v.Has(s.Name) {
				out = append(out, v.Str(s.Name))
			}
		}
	}
	add(r.Top, &r.Table.Blocks[0])
	for i := range r.Table.Blocks[1:] {
		b := &r.Table.Blocks[i+1]
		for _, v := range r.Blocks(b.Name) {
			add(v, b)
		}
	}
	return out
}
