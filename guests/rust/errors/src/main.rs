//! Test guest for the wasi-edge-guest crate's error paths (test/guests/rust.test.ts): each call
//! below fails on purpose, and the guest prints the Rust value it got back (`{:?}` of the Result),
//! then `done`. A panic or trap would end it before `done`.
//!
//! argv: the checks to run, in order (all when none):
//!   i2c-nack        write-read at 0x10 on i2c-sim0, where no device answers
//!   i2c-missing-bus open-i2c of a bus that is not configured
//!   camera-missing  open a camera that does not exist
//!   model-by-name   load-by-name "blazeface" (the test configures a broken file or none)
//!   model-bytes     graph.load of bytes that are not a model
//!   spi-missing     open of an SPI device that does not exist
//!   image-garbage   from-encoded of bytes that are not an image
use std::fmt::Debug;
use wasi_edge_guest::{access, nn, sensor, spi, vision};

fn show<T, E: Debug>(what: &str, r: Result<T, E>) {
    match r {
        Ok(_) => println!("{what}: Ok"),
        Err(e) => println!("{what}: Err({e:?})"),
    }
}

fn check(name: &str) {
    match name {
        "i2c-nack" => match access::open_i2c("i2c-sim0") {
            Ok(bus) => show(name, bus.write_read(0x10, &[0xd0], 1)),
            Err(e) => println!("{name}: open-i2c failed: {e:?}"),
        },
        "i2c-missing-bus" => show(name, access::open_i2c("no-such-bus")),
        "camera-missing" => show(name, sensor::Device::open("no-such-camera:0")),
        "model-by-name" => show(name, nn::load_by_name("blazeface")),
        "model-bytes" => show(name, nn::load(&[b"this is not a model"], nn::GraphEncoding::Onnx, nn::ExecutionTarget::Cpu)),
        "spi-missing" => show(name, spi::open("no-such-device")),
        "image-garbage" => show(name, vision::Image::from_encoded(b"not an image")),
        other => println!("{other}: unknown check"),
    }
}

const ALL: &[&str] = &["i2c-nack", "i2c-missing-bus", "camera-missing", "model-by-name", "model-bytes", "spi-missing", "image-garbage"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        ALL.iter().for_each(|c| check(c));
    } else {
        args.iter().for_each(|c| check(c));
    }
    println!("done");
}
