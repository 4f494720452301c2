package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// maxReadBytesLimit is the largest max_read_bytes: 1 PiB, more than any
// machine holds (and well inside an int64).
const maxReadBytesLimit = 1 << 50

// maxReadBytesAttr is max_read_bytes: the memory budget of one read's
// items. A Number with its own validator, as max_items: an Int64 would
// give the plugin framework's internal error for a value no int64 holds.
func maxReadBytesAttr() schema.NumberAttribute {
	return schema.NumberAttribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("Memory budget of one read (data source or ephemeral resource), in bytes: "+
			"a whole number from 1 to 2^50. Default: `%d` (1 GiB). The read counts what its items hold as they "+
			"arrive (the bytes of their strings, and %d bytes for each field for the values holding them) and "+
			"fails, naming this setting, as soon as that passes the budget, instead of growing the provider's "+
			"memory until the machine runs out: an API that answers with items far larger than its documents "+
			"show is refused while its pages arrive.", listread.DefaultMaxReadBytes, listread.FieldBytes),
		Validators: []validator.Number{listread.CountBetween(1, maxReadBytesLimit, "1 PiB is more than any machine holds")},
	}
}

// maxReadBytes is max_read_bytes, DefaultMaxReadBytes when it is not set.
// Validated at plan time; a value that still does not fit keeps the
// default.
func maxReadBytes(v types.Number) int64 {
	if v.IsNull() || v.IsUnknown() {
		return listread.DefaultMaxReadBytes
	}
	n, acc := v.ValueBigFloat().Int64()
	if acc != 0 || n < 1 || n > maxReadBytesLimit {
		return listread.DefaultMaxReadBytes
	}
	return n
}
