// Package oos declares the Alibaba Cloud CloudOps Orchestration Service
// (OOS) list API: the logs of an execution. The file is one declaration
// (internal/listread): the arguments and the parameters they map to, the
// item's fields with their getters, the paging and the fetch; the reads,
// paging, retries, signing and state are shared (internal/listread,
// internal/paginate, internal/clouds, internal/alicloud,
// internal/transport).
package oos
