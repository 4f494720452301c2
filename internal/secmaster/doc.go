// Package secmaster declares the Huawei Cloud SecMaster list API: the
// playbook instance audit logs. The file is one declaration
// (internal/listread): the arguments and the body fields and query keys
// they map to, the item's fields with their getters, the paging and the
// fetch; the reads, paging, retries, signing and state are shared
// (internal/listread, internal/paginate, internal/clouds,
// internal/huaweicloud, internal/transport).
package secmaster
