# A read that Terraform left for the apply (its arguments depend on a
# resource not created yet) has no values in the plan: no verdict is a
# failure, not a pass.
package opsaudit.deferred

import data.opsaudit.lib

deny contains msg if {
	some address in lib.deferred
	msg := sprintf("%s is read only at apply time: the plan holds no values to judge", [address])
}
