"""The file-system broker of `make run`, with messages written atomically.

kombu's own transport creates a message file empty and writes it afterwards: a worker
listing the folder in between takes the empty file, cannot parse it and dies with
JSONDecodeError, and the message is lost. Here a message is written under a name no reader
looks for and renamed into place when complete (a rename within one folder is atomic), and
a file that still cannot be read (say, left by a crash of the old transport) is set aside in
`damaged/` with a log line instead of stopping the worker.
"""

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic_ns
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"


class Channel(filesystem.Channel):
    # kombu's two base classes name the second argument differently (message, payload).
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        # Zero-padded so that readers, which sort names as text, take messages in order.
        name = f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        # A leading dot: readers match "<stamp>.<queue>.msg" after the first dot only.
        partial = Path(self.data_folder_out) / f".{name}{PARTIAL_SUFFIX}"
        try:
            with open(partial, "xb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, Path(self.data_folder_out) / name)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc

    def _get(self, queue: str, timeout: Any = None) -> Any:
        wanted = f"{queue}.msg"
        folder = Path(self.data_folder_in)
        for name in sorted(os.listdir(folder)):
            if name.partition(".")[2] != wanted:
                continue
            taken = folder / f".{name}.taken-{os.getpid()}"
            try:
                os.replace(folder / name, taken)  # whoever renames it first has it
            except OSError:
                continue
            payload = taken.read_bytes()
            try:
                message = loads(bytes_to_str(payload))
            except ValueError:
                damaged = folder / "damaged"
                damaged.mkdir(exist_ok=True)
                os.replace(taken, damaged / name)
                logger.warning("unreadable broker message set aside: %s", damaged / name)
                continue
            if self.store_processed:
                os.replace(taken, Path(self.processed_folder) / name)
            else:
                taken.unlink()
            return message
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
