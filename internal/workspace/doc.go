// Package workspace declares the Huawei Cloud Workspace list APIs: script
// execution records and key desktop events. Each file is one declaration
// (internal/listread): the arguments and the query keys they map to, the
// item's fields with their getters, the paging and the fetch; the reads,
// paging, retries, signing and state are shared (internal/listread,
// internal/paginate, internal/clouds, internal/huaweicloud,
// internal/transport).
package workspace
