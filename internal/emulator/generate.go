package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultSeed is the seed used when Options.Data is nil.
const DefaultSeed int64 = 1

// HostileText is the hostile fragment the generator embeds in values
// (each API's plug-in says where), so that filter tests can rely on it.
// It contains a space, &, =, +, ", ', %, /, ?, # and non-ASCII text.
const HostileText = `补丁 & "hardening"=v1+2 'q' 100%/a?b#c`

var dataEnd = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// DataEnd is the instant the data of Generate ends at
// (2026-11-20T12:00:00Z): tests and fixtures pin it, so their data never
// depends on the wall clock. GenerateAt ends the same data at another
// instant. Changing this variable changes nothing.
var DataEnd = dataEnd

// Sizes says how much data Generate makes: each API's sizes by their
// names (SizeFlag.Name, the emulator command's flags; the Size*
// constants of the plug-ins). A size left out is 0.
type Sizes map[string]int

// SizeFlag is one size of the generated data: its name (its key in Sizes
// and the emulator command's flag), its default and what it counts.
type SizeFlag struct {
	Name    string
	Default int
	Usage   string
}

// SizeFlags are the sizes of every API's data, in the APIs' order.
func SizeFlags() []SizeFlag {
	var out []SizeFlag
	for _, p := range dataParts() {
		out = append(out, p.sizes()...)
	}
	return out
}

// DefaultSizes is a small dataset that still needs several pages
// everywhere: each size's default (250 script records, 2 screen records x
// 230 events, 2 workspaces x 120 audit logs, 2 executions x 130 logs).
func DefaultSizes() Sizes {
	sz := Sizes{}
	for _, f := range SizeFlags() {
		sz[f.Name] = f.Default
	}
	return sz
}

// Max is the larger of s and o in every size: a dataset with both's data.
func (s Sizes) Max(o Sizes) Sizes {
	out := Sizes{}
	for k, v := range s {
		out[k] = v
	}
	for k, v := range o {
		out[k] = max(out[k], v)
	}
	return out
}

var huaweiRegions = []string{
	"cn-north-4", "cn-north-1", "cn-north-9", "cn-east-3", "cn-east-2",
	"cn-south-1", "ap-southeast-1", "ap-southeast-3",
}

// HuaweiRegions are the regions the generated IAM knows (a copy).
var HuaweiRegions = slices.Clone(huaweiRegions)

// Generate builds a deterministic dataset ending at DataEnd: the same seed
// and sizes always give the same data. See the package documentation for
// the id scheme. It panics on a size no API has.
func Generate(seed int64, sz Sizes) *Dataset { return GenerateAt(seed, sz, DataEnd) }

// GenerateAt is Generate with the data ending at end (truncated to the
// second) instead of DataEnd: every generated time is as far before end
// as it is before DataEnd in Generate's data. Script records and audit
// logs (the APIs with time filters) spread over the 72 hours before end
// and none starts or ends after it; screen recordings start 27 hours
// before end, one every 3 hours, and OOS executions 10 hours before end,
// one an hour. The emulator command passes its start time, so that
// windows ending at plantimestamp() find data.
func GenerateAt(seed int64, sz Sizes, end time.Time) *Dataset {
	known := SizeFlags()
	for name := range sz {
		if !slices.ContainsFunc(known, func(f SizeFlag) bool { return f.Name == name }) {
			panic(fmt.Sprintf("emulator: no API has the size %q", name))
		}
	}
	end = end.UTC().Truncate(time.Second)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6f70736175646974)) //nolint:gosec // deterministic test data, not secrets
	d := &Dataset{Projects: map[string]string{}}
	for _, r := range huaweiRegions {
		d.Projects[r] = ProjectID(r)
	}
	// One random source, drawn from by each API in turn, in order.
	for _, p := range dataParts() {
		d.put(p, p.generate(rng, sz, end))
	}
	return d
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// notAfter is t, or end when t is later: a run still going at the end of
// the data has not ended later.
func notAfter(t, end time.Time) time.Time {
	if t.After(end) {
		return end
	}
	return t
}
