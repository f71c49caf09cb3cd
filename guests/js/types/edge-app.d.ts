/// <reference path="./interfaces/wasi-buffer-pool-buffer-pool.d.ts" />
/// <reference path="./interfaces/wasi-buffer-pool-data-types.d.ts" />
/// <reference path="./interfaces/wasi-cli-environment.d.ts" />
/// <reference path="./interfaces/wasi-cli-exit.d.ts" />
/// <reference path="./interfaces/wasi-cli-run.d.ts" />
/// <reference path="./interfaces/wasi-cli-stderr.d.ts" />
/// <reference path="./interfaces/wasi-cli-stdin.d.ts" />
/// <reference path="./interfaces/wasi-cli-stdout.d.ts" />
/// <reference path="./interfaces/wasi-cli-terminal-input.d.ts" />
/// <reference path="./interfaces/wasi-cli-terminal-output.d.ts" />
/// <reference path="./interfaces/wasi-cli-terminal-stderr.d.ts" />
/// <reference path="./interfaces/wasi-cli-terminal-stdin.d.ts" />
/// <reference path="./interfaces/wasi-cli-terminal-stdout.d.ts" />
/// <reference path="./interfaces/wasi-clocks-monotonic-clock.d.ts" />
/// <reference path="./interfaces/wasi-clocks-wall-clock.d.ts" />
/// <reference path="./interfaces/wasi-config-store.d.ts" />
/// <reference path="./interfaces/wasi-edge-host-access.d.ts" />
/// <reference path="./interfaces/wasi-filesystem-preopens.d.ts" />
/// <reference path="./interfaces/wasi-filesystem-types.d.ts" />
/// <reference path="./interfaces/wasi-i2c-delay.d.ts" />
/// <reference path="./interfaces/wasi-i2c-i2c.d.ts" />
/// <reference path="./interfaces/wasi-io-error.d.ts" />
/// <reference path="./interfaces/wasi-io-poll.d.ts" />
/// <reference path="./interfaces/wasi-io-poll-0-2-12.d.ts" />
/// <reference path="./interfaces/wasi-io-streams.d.ts" />
/// <reference path="./interfaces/wasi-messaging-producer.d.ts" />
/// <reference path="./interfaces/wasi-messaging-request-reply.d.ts" />
/// <reference path="./interfaces/wasi-messaging-types.d.ts" />
/// <reference path="./interfaces/wasi-nn-errors.d.ts" />
/// <reference path="./interfaces/wasi-nn-graph.d.ts" />
/// <reference path="./interfaces/wasi-nn-inference.d.ts" />
/// <reference path="./interfaces/wasi-nn-tensor.d.ts" />
/// <reference path="./interfaces/wasi-random-insecure-seed.d.ts" />
/// <reference path="./interfaces/wasi-random-insecure.d.ts" />
/// <reference path="./interfaces/wasi-random-random.d.ts" />
/// <reference path="./interfaces/wasi-sensor-property.d.ts" />
/// <reference path="./interfaces/wasi-sensor-sensor.d.ts" />
/// <reference path="./interfaces/wasi-sockets-instance-network.d.ts" />
/// <reference path="./interfaces/wasi-sockets-ip-name-lookup.d.ts" />
/// <reference path="./interfaces/wasi-sockets-network.d.ts" />
/// <reference path="./interfaces/wasi-sockets-tcp-create-socket.d.ts" />
/// <reference path="./interfaces/wasi-sockets-tcp.d.ts" />
/// <reference path="./interfaces/wasi-sockets-udp-create-socket.d.ts" />
/// <reference path="./interfaces/wasi-sockets-udp.d.ts" />
/// <reference path="./interfaces/wasi-spi-spi.d.ts" />
/// <reference path="./interfaces/wasi-vision-image.d.ts" />
declare module 'wasi-edge:host/edge-app@0.1.0' {
  export type * as WasiEdgeHostAccess010 from 'wasi-edge:host/access@0.1.0'; // import wasi-edge:host/access@0.1.0
  export type * as WasiBufferPoolBufferPool from 'wasi:buffer-pool/buffer-pool'; // import wasi:buffer-pool/buffer-pool
  export type * as WasiBufferPoolDataTypes from 'wasi:buffer-pool/data-types'; // import wasi:buffer-pool/data-types
  export type * as WasiCliEnvironment0212 from 'wasi:cli/environment@0.2.12'; // import wasi:cli/environment@0.2.12
  export type * as WasiCliExit0212 from 'wasi:cli/exit@0.2.12'; // import wasi:cli/exit@0.2.12
  export type * as WasiCliStderr0212 from 'wasi:cli/stderr@0.2.12'; // import wasi:cli/stderr@0.2.12
  export type * as WasiCliStdin0212 from 'wasi:cli/stdin@0.2.12'; // import wasi:cli/stdin@0.2.12
  export type * as WasiCliStdout0212 from 'wasi:cli/stdout@0.2.12'; // import wasi:cli/stdout@0.2.12
  export type * as WasiCliTerminalInput0212 from 'wasi:cli/terminal-input@0.2.12'; // import wasi:cli/terminal-input@0.2.12
  export type * as WasiCliTerminalOutput0212 from 'wasi:cli/terminal-output@0.2.12'; // import wasi:cli/terminal-output@0.2.12
  export type * as WasiCliTerminalStderr0212 from 'wasi:cli/terminal-stderr@0.2.12'; // import wasi:cli/terminal-stderr@0.2.12
  export type * as WasiCliTerminalStdin0212 from 'wasi:cli/terminal-stdin@0.2.12'; // import wasi:cli/terminal-stdin@0.2.12
  export type * as WasiCliTerminalStdout0212 from 'wasi:cli/terminal-stdout@0.2.12'; // import wasi:cli/terminal-stdout@0.2.12
  export type * as WasiClocksMonotonicClock0212 from 'wasi:clocks/monotonic-clock@0.2.12'; // import wasi:clocks/monotonic-clock@0.2.12
  export type * as WasiClocksWallClock0212 from 'wasi:clocks/wall-clock@0.2.12'; // import wasi:clocks/wall-clock@0.2.12
  export type * as WasiConfigStore020Rc1 from 'wasi:config/store@0.2.0-rc.1'; // import wasi:config/store@0.2.0-rc.1
  export type * as WasiFilesystemPreopens0212 from 'wasi:filesystem/preopens@0.2.12'; // import wasi:filesystem/preopens@0.2.12
  export type * as WasiFilesystemTypes0212 from 'wasi:filesystem/types@0.2.12'; // import wasi:filesystem/types@0.2.12
  export type * as WasiI2cDelay020Draft from 'wasi:i2c/delay@0.2.0-draft'; // import wasi:i2c/delay@0.2.0-draft
  export type * as WasiI2cI2c020Draft from 'wasi:i2c/i2c@0.2.0-draft'; // import wasi:i2c/i2c@0.2.0-draft
  export type * as WasiIoError0212 from 'wasi:io/error@0.2.12'; // import wasi:io/error@0.2.12
  export type * as WasiIoPoll020 from 'wasi:io/poll@0.2.0'; // import wasi:io/poll@0.2.0
  export type * as WasiIoPoll0212 from 'wasi:io/poll@0.2.12'; // import wasi:io/poll@0.2.12
  export type * as WasiIoStreams0212 from 'wasi:io/streams@0.2.12'; // import wasi:io/streams@0.2.12
  export type * as WasiMessagingProducer020Draft from 'wasi:messaging/producer@0.2.0-draft'; // import wasi:messaging/producer@0.2.0-draft
  export type * as WasiMessagingRequestReply020Draft from 'wasi:messaging/request-reply@0.2.0-draft'; // import wasi:messaging/request-reply@0.2.0-draft
  export type * as WasiMessagingTypes020Draft from 'wasi:messaging/types@0.2.0-draft'; // import wasi:messaging/types@0.2.0-draft
  export type * as WasiNnErrors020Rc20241028 from 'wasi:nn/errors@0.2.0-rc-2024-10-28'; // import wasi:nn/errors@0.2.0-rc-2024-10-28
  export type * as WasiNnGraph020Rc20241028 from 'wasi:nn/graph@0.2.0-rc-2024-10-28'; // import wasi:nn/graph@0.2.0-rc-2024-10-28
  export type * as WasiNnInference020Rc20241028 from 'wasi:nn/inference@0.2.0-rc-2024-10-28'; // import wasi:nn/inference@0.2.0-rc-2024-10-28
  export type * as WasiNnTensor020Rc20241028 from 'wasi:nn/tensor@0.2.0-rc-2024-10-28'; // import wasi:nn/tensor@0.2.0-rc-2024-10-28
  export type * as WasiRandomInsecureSeed0212 from 'wasi:random/insecure-seed@0.2.12'; // import wasi:random/insecure-seed@0.2.12
  export type * as WasiRandomInsecure0212 from 'wasi:random/insecure@0.2.12'; // import wasi:random/insecure@0.2.12
  export type * as WasiRandomRandom0212 from 'wasi:random/random@0.2.12'; // import wasi:random/random@0.2.12
  export type * as WasiSensorProperty from 'wasi:sensor/property'; // import wasi:sensor/property
  export type * as WasiSensorSensor from 'wasi:sensor/sensor'; // import wasi:sensor/sensor
  export type * as WasiSocketsInstanceNetwork0212 from 'wasi:sockets/instance-network@0.2.12'; // import wasi:sockets/instance-network@0.2.12
  export type * as WasiSocketsIpNameLookup0212 from 'wasi:sockets/ip-name-lookup@0.2.12'; // import wasi:sockets/ip-name-lookup@0.2.12
  export type * as WasiSocketsNetwork0212 from 'wasi:sockets/network@0.2.12'; // import wasi:sockets/network@0.2.12
  export type * as WasiSocketsTcpCreateSocket0212 from 'wasi:sockets/tcp-create-socket@0.2.12'; // import wasi:sockets/tcp-create-socket@0.2.12
  export type * as WasiSocketsTcp0212 from 'wasi:sockets/tcp@0.2.12'; // import wasi:sockets/tcp@0.2.12
  export type * as WasiSocketsUdpCreateSocket0212 from 'wasi:sockets/udp-create-socket@0.2.12'; // import wasi:sockets/udp-create-socket@0.2.12
  export type * as WasiSocketsUdp0212 from 'wasi:sockets/udp@0.2.12'; // import wasi:sockets/udp@0.2.12
  export type * as WasiSpiSpi from 'wasi:spi/spi'; // import wasi:spi/spi
  export type * as WasiVisionImage010Draft from 'wasi:vision/image@0.1.0-draft'; // import wasi:vision/image@0.1.0-draft
  export * as run from 'wasi:cli/run@0.2.12'; // export wasi:cli/run@0.2.12
}
