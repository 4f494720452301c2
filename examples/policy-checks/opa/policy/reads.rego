# Where a policy finds the provider's reads in `terraform show -json`
# (format_version 1.x) of a saved plan: every data source read while
# planning is in prior_state.values, in root_module.resources and in the
# resources of each child module, with mode "data". A data source nested
# in a check block is there too (and also in planned_values and
# resource_changes). A read Terraform could not do while planning (its
# arguments depend on a resource not yet created) is not: it is in
# resource_changes with action "read" and unknown values (after_unknown),
# and in planned_values without them. Deferred, it is no verdict.
package opsaudit.lib

# reads[type] is the set of read data sources of that type.
reads[type] contains r if {
	some path, r
	walk(input.prior_state.values, [path, r])
	r.mode == "data"
	type := r.type
}

# deferred holds the addresses of opsaudit reads left for the apply.
deferred contains rc.address if {
	some rc in input.resource_changes
	rc.mode == "data"
	startswith(rc.type, "opsaudit_")
	"read" in rc.change.actions
	not read_in_plan(rc.address)
}

read_in_plan(address) if {
	some path, r
	walk(input.prior_state.values, [path, r])
	r.address == address
}
