// SPDX-License-Identifier: GPL-2.0
/*
 * Exports the kernel interface of /proc/tunnel to modules. The functions are
 * defined in fs/proc/tunnel.rs; a Rust object cannot export symbols itself.
 */
#include <linux/export.h>
#include <linux/proc_fs.h>

EXPORT_SYMBOL_GPL(tunnel_read);
EXPORT_SYMBOL_GPL(tunnel_write);
EXPORT_SYMBOL_GPL(tunnel_user);
EXPORT_SYMBOL_GPL(tunnel_avail);
EXPORT_SYMBOL_GPL(tunnel_pending);
EXPORT_SYMBOL_GPL(tunnel_wait_pending);
EXPORT_SYMBOL_GPL(tunnel_wait_avail);
