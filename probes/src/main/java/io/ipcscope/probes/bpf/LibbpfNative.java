package io.ipcscope.probes.bpf;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * JNA mapping of the part of libbpf.so.1 that ipcscope uses. Every function here exists in libbpf 1.1.2 (Debian 12);
 * check {@code nm -D libbpf.so.1} before adding one. libbpf 1.x returns {@code -errno} from int functions and NULL
 * with errno set from pointer functions; callers read errno with {@link Native#getLastError()}.
 */
interface LibbpfNative extends Library {

  LibbpfNative INSTANCE = Native.load("libbpf.so.1", LibbpfNative.class);

  /** {@code int (*)(enum libbpf_print_level, const char *fmt, va_list ap)}; on x86_64 a va_list parameter is a pointer. */
  interface PrintFn extends Callback {
    int invoke(int level, String format, Pointer vaList);
  }

  Pointer libbpf_set_print(PrintFn fn);

  int libbpf_major_version();

  int libbpf_minor_version();

  int libbpf_num_possible_cpus();

  int libbpf_strerror(int err, byte[] buf, long size);

  // bpf_object
  Pointer bpf_object__open_mem(Pointer objBuf, long objBufSize, Pointer opts);

  int bpf_object__load(Pointer obj);

  void bpf_object__close(Pointer obj);

  Pointer bpf_object__next_program(Pointer obj, Pointer prev);

  Pointer bpf_object__find_map_by_name(Pointer obj, String name);

  // bpf_program
  String bpf_program__name(Pointer prog);

  String bpf_program__section_name(Pointer prog);

  int bpf_program__set_autoload(Pointer prog, boolean autoload);

  boolean bpf_program__autoload(Pointer prog);

  int bpf_program__fd(Pointer prog);

  Pointer bpf_program__attach(Pointer prog);

  Pointer bpf_program__attach_uprobe_opts(Pointer prog, int pid, String binaryPath, long funcOffset, Pointer opts);

  int bpf_link__destroy(Pointer link);

  // bpf_map
  String bpf_map__name(Pointer map);

  int bpf_map__fd(Pointer map);

  int bpf_map__set_max_entries(Pointer map, int maxEntries);

  int bpf_map__max_entries(Pointer map);

  int bpf_map__key_size(Pointer map);

  int bpf_map__value_size(Pointer map);

  Pointer bpf_map__initial_value(Pointer map, LongByReference size);

  int bpf_map__reuse_fd(Pointer map, int fd);

  // low-level bpf(2) wrappers
  int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

  int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

  int bpf_map_delete_elem(int fd, Pointer key);

  int bpf_prog_test_run_opts(int progFd, Pointer opts);

  // BTF
  Pointer btf__parse_elf(String path, Pointer btfExt);

  void btf__free(Pointer btf);

  int btf__find_by_name_kind(Pointer btf, String name, int kind);

  Pointer btf__type_by_id(Pointer btf, int id);

  String btf__name_by_offset(Pointer btf, int offset);

  long btf__resolve_size(Pointer btf, int typeId);
}
