// The Go guests of this host: the guest library (edge/) and the apps built with it. Built by
// guests/go/build.mjs (`npm run build:guests`), offline: no module is fetched (GOPROXY=off).
module wasi-edge-host/guests/go

go 1.23
