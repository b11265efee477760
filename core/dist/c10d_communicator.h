#pragma once
// The c10d implementation of Communicator, for callers that bring their own store (the
// tests run ranks as threads sharing an in-memory c10d::HashStore). Only with CAN_WITH_C10D.

#if CAN_WITH_C10D

#include <torch/csrc/distributed/c10d/Store.hpp>

#include "core/dist/communicator.h"

namespace can::dist {

// A Gloo process group of `size` ranks over `store`, its TCP pairs bound to `hostname`'s
// address. Blocks until every rank has joined (or `timeout` passes).
std::shared_ptr<Communicator> make_gloo_communicator(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                     std::chrono::milliseconds timeout,
                                                     const std::string& hostname = "127.0.0.1");

}  // namespace can::dist

#endif
