//! Face detection at the edge, in Rust: the app of `npm start` (guests/c/facedetect.c), with the
//! same behaviour and the same output lines, written with the wasi-edge-guest crate.
//!
//!   camera (wasi:sensor) → host-memory frame (wasi:buffer-pool) → image (wasi:vision, no pixel copy)
//!   → to-tensor 128x128 NHWC f32 [-1, 1] → BlazeFace (wasi:nn, load-by-name "blazeface")
//!   → anchors + non-maximum suppression HERE, in the guest (blazeface.rs)
//!   + temperature from a BME280 on I2C (wasi-edge:host/access open-i2c, wasi:i2c)
//!   → boxes drawn on the image → PNG → <out>/frame-NNNNNN.png (std::fs, preopen /out)
//!   → one JSON line per frame on stdout, a summary line at the end.
//!
//! argv: [frames (0 = until the camera stops delivering)] [camera name]
//! env:  FRAMES, CAMERA, I2C_BUS (i2c-sim0), BME280_ADDRESS (0x76), OUT_DIR (/out; "-" = write nothing),
//!       FACEDETECT_TIMING=1 (per-stage microseconds in each line),
//!       KEEP_GOING=1 (field mode: a camera that fails is restarted every 100 ms until it is back; a
//!       model that fails to load is retried every 10 frames, frames meanwhile say "model":false;
//!       each change is an event line {"event":"camera-lost"|"camera-back"|"read-failed"|
//!       "model-failed"|"model-loaded", ...})
mod blazeface;
mod bme280;
mod json;

use blazeface::{Face, Outputs, ANCHORS_16, ANCHORS_8, INPUT};
use bme280::{Bme280, Missing};
use std::fmt::{Display, Write as _};
use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use wasi_edge_guest::buffer_pool::{BufferError, BufferingMode, FrameInfo, Pool};
use wasi_edge_guest::nn::{self, TensorType};
use wasi_edge_guest::poll::Pollable;
use wasi_edge_guest::sensor::Device;
use wasi_edge_guest::vision::{ChannelOrder, Color, Encoding, Image, Normalization, Rect, ResizeMethod, TensorLayout, TensorOptions};

/// The name in the summary line and on stderr: the component's (fixtures/components/rust-facedetect.wasm).
const APP: &str = "rust-facedetect";
/// A pool whose name ends in -hm gets host-memory frames (docs/spec-notes/sensor.md): the pixels
/// stay in the host and wasi:vision wraps them.
const POOL: &str = "facedetect-hm";
const GREEN: Color = Color { r: 0, g: 255, b: 0 };

/// What made the app stop: the call, and the error it returned.
struct Fail(String);

fn fail(what: &str, detail: impl Display) -> Fail {
    Fail(format!("{what}: {detail}"))
}

struct Settings {
    wanted: i64,
    camera: String,
    out_dir: Option<String>,
    bus: String,
    address: u16,
    timing: bool,
    keep_going: bool,
}

impl Settings {
    fn read() -> Settings {
        let args: Vec<String> = std::env::args().collect();
        // argv[index] when given and not empty, else the environment variable, else the default
        let setting = |index: usize, env: &str, fallback: &str| -> String {
            match args.get(index).filter(|a| !a.is_empty()) {
                Some(a) if index > 0 => a.clone(),
                _ => std::env::var(env).unwrap_or_else(|_| fallback.to_string()),
            }
        };
        let flag = |env: &str| std::env::var(env).map_or(false, |v| v.starts_with('1'));
        let out_dir = setting(0, "OUT_DIR", "/out");
        Settings {
            wanted: leading_int(&setting(1, "FRAMES", "0")),
            camera: setting(2, "CAMERA", "camera:0"),
            out_dir: (out_dir != "-").then_some(out_dir),
            bus: setting(0, "I2C_BUS", "i2c-sim0"),
            address: c_int(&setting(0, "BME280_ADDRESS", "0x76")) as u16,
            timing: flag("FACEDETECT_TIMING"),
            keep_going: flag("KEEP_GOING"),
        }
    }
}

/// The leading integer of `s`, 0 if there is none (C's atoi).
fn leading_int(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    sign * digits[..end].parse::<i64>().unwrap_or(0)
}

/// An integer in C notation: 0x hexadecimal, 0 octal, else decimal; 0 if unreadable (strtol base 0).
fn c_int(s: &str) -> i64 {
    let s = s.trim();
    let parsed = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        i64::from_str_radix(&s[1..], 8)
    } else {
        s.parse()
    };
    parsed.unwrap_or(0)
}

/// Microseconds since start; stage clocks only with FACEDETECT_TIMING=1 (each reading is a host call).
struct Clock {
    base: Instant,
    timing: bool,
}

impl Clock {
    fn now_us(&self) -> u64 {
        self.base.elapsed().as_micros() as u64
    }
    fn tick(&self) -> u64 {
        if self.timing {
            self.now_us()
        } else {
            0
        }
    }
}

// ---------------------------------------------------------------- inference

/// BlazeFace loaded by name. Fields drop in order: the context before its graph.
struct Model {
    context: nn::ExecutionContext,
    _graph: nn::Graph,
}

impl Model {
    fn load() -> Result<Model, nn::Error> {
        let graph = nn::load_by_name("blazeface")?;
        Ok(Model { context: graph.init_execution_context()?, _graph: graph })
    }
}

/// Microseconds of one detection: to-tensor, compute, and all of it (with copying the outputs in).
#[derive(Default)]
struct InferTimes {
    tensor: u64,
    compute: u64,
    infer: u64,
}

/// BlazeFace input: 1x128x128x3 f32 NHWC, x * 2/255 - 1; to-tensor resizes (bilinear) on the host.
fn input_options() -> TensorOptions {
    TensorOptions {
        width: INPUT,
        height: INPUT,
        resize_method: ResizeMethod::Bilinear,
        tensor_layout: TensorLayout::Nhwc,
        element_type: TensorType::Fp32,
        channels: ChannelOrder::Rgb,
        normalization: Normalization::ScaleOffset { scale: 2.0 / 255.0, offset: -1.0 },
    }
}

#[inline(never)]
fn detect(model: &Model, image: &Image, clock: &Clock, t: &mut InferTimes) -> Result<Vec<Face>, Fail> {
    let t0 = clock.tick();
    let input = image.to_tensor(&input_options()).map_err(|e| fail("to-tensor", e))?;
    let t1 = clock.tick();
    let outputs = model.context.compute(vec![("input:0", input)]).map_err(|e| fail("compute", e))?;
    let t2 = clock.tick();
    let (mut s16, mut b16, mut s8, mut b8) = (None, None, None, None);
    for (_, tensor) in &outputs {
        let d = tensor.dimensions();
        let slot = match (d.len(), d.get(1).copied(), d.get(2).copied()) {
            (3, Some(ANCHORS_16), Some(1)) => &mut s16,
            (3, Some(ANCHORS_16), _) => &mut b16,
            (3, Some(ANCHORS_8), Some(1)) => &mut s8,
            (3, Some(ANCHORS_8), _) => &mut b8,
            _ => continue,
        };
        // the outputs are small (60 KB in all): copy them in
        if let Some(v) = tensor.data_f32() {
            *slot = Some(v);
        }
    }
    drop(outputs);
    *t = InferTimes { tensor: t1 - t0, compute: t2 - t1, infer: clock.tick() - t0 };
    match (s16, b16, s8, b8) {
        (Some(scores16), Some(boxes16), Some(scores8), Some(boxes8)) => {
            Ok(blazeface::detect(&Outputs { scores16, boxes16, scores8, boxes8 }))
        }
        _ => Err(fail("compute", "the model did not return BlazeFace's four outputs")),
    }
}

// ---------------------------------------------------------------- camera

/// The named device, after checking that the host lists it (says what there is otherwise).
fn open_camera(name: &str) -> Result<Device, Fail> {
    let names = Device::list_names().map_err(|e| fail("list-names", e))?;
    if !names.iter().any(|n| n == name) {
        return Err(Fail(format!("no camera \"{name}\"; this host has: {} (set CAMERA)", names.join(" "))));
    }
    Device::open(name).map_err(|e| fail("device.open", e))
}

/// Waits for the next frame. With a frame count the app simply blocks. Without one it runs until
/// the camera stops delivering: it checks readiness and sleeps between checks, and gives up when no
/// frame came for `idle` (a non-looping image sequence has ended, or a camera stalled).
fn wait_frame(ready: &Pollable, counted: bool, idle: Duration) -> bool {
    if counted {
        ready.block();
        return true;
    }
    let start = Instant::now();
    while !ready.ready() {
        if start.elapsed() > idle {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    true
}

// ---------------------------------------------------------------- output

/// One line with one write (every write is a trip through wasi:cli to the host).
fn print_line(line: &str) {
    let _ = std::io::stdout().lock().write_all(line.as_bytes());
}

/// Field mode's event line: {"event":<name>,"frames":<frames so far>[,"error":<detail>]}.
fn event(name: &str, frames: u64, detail: Option<&str>) {
    let mut line = format!("{{\"event\":\"{name}\",\"frames\":{frames}");
    if let Some(d) = detail {
        line.push_str(",\"error\":");
        json::string(&mut line, d);
    }
    line.push_str("}\n");
    print_line(&line);
}

#[inline(never)]
fn frame_line(frame: &FrameInfo, faces: &[Face], w: u32, h: u32, celsius: Option<f32>) -> String {
    let mut line = format!("{{\"frame\":{},\"timestamp\":{},\"faces\":[", frame.sequence_number, frame.timestamp);
    let (wf, hf) = (w as f32, h as f32);
    for (i, f) in faces.iter().enumerate() {
        line.push_str(if i > 0 { ",{\"score\":" } else { "{\"score\":" });
        json::fixed(&mut line, f.score as f64, 3);
        let px = |v: f32| v.round() as i32;
        let _ = write!(line, ",\"box\":{{\"x\":{},\"y\":{},\"w\":{},\"h\":{}}}}}", px(f.x * wf), px(f.y * hf), px(f.w * wf), px(f.h * hf));
    }
    line.push_str("],\"temperature\":");
    match celsius {
        Some(c) => json::fixed(&mut line, c as f64, 2),
        None => line.push_str("null"),
    }
    line
}

/// Draws the boxes (copy-on-write in the host: the pool's buffer is never written).
fn draw_faces(image: &Image, faces: &[Face], w: u32, h: u32) -> Result<(), Fail> {
    let (wf, hf) = (w as f32, h as f32);
    for f in faces {
        let (x0, y0) = ((f.x * wf).max(0.0), (f.y * hf).max(0.0));
        let (x1, y1) = (((f.x + f.w) * wf).min(wf), ((f.y + f.h) * hf).min(hf));
        if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            continue;
        }
        let region = Rect { x: x0 as u32, y: y0 as u32, width: (x1 - x0) as u32, height: (y1 - y0) as u32 };
        image.draw_rect(region, GREEN, 3).map_err(|e| fail("draw-rect", e))?;
    }
    Ok(())
}

/// Encodes and writes <dir>/frame-NNNNNN.png; returns the encode and write microseconds.
fn write_png(dir: &str, seq: u64, image: &Image, clock: &Clock) -> Result<(u64, u64), Fail> {
    let t0 = clock.tick();
    let png = image.encode(Encoding::Png).map_err(|e| fail("encode", e))?;
    let t1 = clock.tick();
    let path = format!("{dir}/frame-{seq:06}.png");
    std::fs::write(&path, png).map_err(|e| fail(&path, e))?;
    Ok((t1 - t0, clock.tick() - t1))
}

// ---------------------------------------------------------------- field mode

/// After read-frames failed. hardware-error means the camera went away and the host stopped it:
/// restart it every 100 ms until it is back. Any other error leaves the device running: report it.
fn recover_camera(dev: &Device, err: BufferError, frames: u64, outages: &mut u32) {
    if err != BufferError::HardwareError {
        event("read-failed", frames, Some(err.as_str()));
        return;
    }
    event("camera-lost", frames, Some(err.as_str()));
    *outages += 1;
    let lost = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(100));
        match dev.start(POOL) {
            Ok(()) | Err(BufferError::Busy) => break, // busy: it is running already
            Err(_) => {}
        }
    }
    print_line(&format!("{{\"event\":\"camera-back\",\"frames\":{frames},\"after_ms\":{}}}\n", lost.elapsed().as_millis()));
}

/// Without a model, tries to load it every 10 frames.
fn retry_model(model: &mut Option<Model>, frames: u64, failures: &mut u32) {
    if model.is_some() || frames % 10 != 0 {
        return;
    }
    match Model::load() {
        Ok(m) => {
            *model = Some(m);
            event("model-loaded", frames, None);
        }
        Err(e) => {
            *failures += 1;
            event("model-failed", frames, Some(&e.to_string()));
        }
    }
}

// ---------------------------------------------------------------- main

fn run() -> Result<(), Fail> {
    let s = Settings::read();
    let clock = Clock { base: Instant::now(), timing: s.timing };

    let bme = match Bme280::open(&s.bus, s.address) {
        Ok(b) => Some(b),
        Err(Missing::Bus(e)) => {
            eprintln!("{APP}: open-i2c({}): {e}; continuing without temperature", s.bus);
            None
        }
        Err(Missing::Chip) => {
            eprintln!("{APP}: no BME280 at 0x{:02x} on {}; continuing without temperature", s.address, s.bus);
            None
        }
    };
    let (mut outages, mut model_failures) = (0u32, 0u32);
    let mut model = None;
    if s.keep_going {
        retry_model(&mut model, 0, &mut model_failures);
    } else {
        model = Some(Model::load().map_err(|e| fail("load-by-name blazeface", e))?);
    }

    let dev = open_camera(&s.camera)?;
    let dim = dev.dimension().map_err(|e| fail("get-property dimension", e))?;
    let rate = dev.sampling_rate().map_err(|e| fail("get-property sampling-rate", e))?;
    // Wait five frame periods (at least half a second) before deciding that the camera stopped.
    let idle_us = match rate.numerator {
        0 => 0,
        n => 5_000_000u64 * rate.denominator as u64 / n as u64,
    };
    let idle = Duration::from_micros(idle_us.max(500_000));

    // Eight buffers: a short sequence never drops.
    let frame_bytes = if dim.stride_bytes > 0 { dim.stride_bytes * dim.height } else { dim.width * dim.height * 4 };
    let pool = Pool::create(BufferingMode::Discard, frame_bytes, 8, POOL).map_err(|e| fail("pool.create", e))?;
    dev.start(POOL).map_err(|e| fail("device.start", e))?;
    let ready = pool.subscribe();

    let started = clock.now_us();
    let (mut frames, mut faces_total, mut written) = (0u64, 0usize, 0u32);
    let mut t_print = 0;
    while s.wanted <= 0 || (frames as i64) < s.wanted {
        let t_start = clock.tick();
        if !wait_frame(&ready, s.wanted > 0, idle) {
            break;
        }
        let t_waited = clock.tick();
        let read = match pool.read_frames(1) {
            Err(e) if !s.keep_going => return Err(fail("read-frames", e)),
            Err(e) => {
                recover_camera(&dev, e, frames, &mut outages);
                continue;
            }
            Ok(read) => read,
        };
        let Some(mut frame) = read.into_iter().next() else { continue };
        if s.keep_going {
            retry_model(&mut model, frames, &mut model_failures);
        }
        let t0 = clock.tick();

        // The image takes the frame over: host-memory is wrapped without a copy and the buffer goes
        // back to the pool when the image is dropped; a by-value frame (a pool without -hm) is copied.
        if frame.data.is_empty() {
            return Err(fail("read-frames", "a frame without data"));
        }
        let image = Image::from_frame(frame.data.remove(0)).map_err(|e| fail("from-frame", e))?;
        let (w, h) = (image.width(), image.height());
        let t_image = clock.tick() - t0;

        let mut times = InferTimes::default();
        let t_detect = clock.tick();
        let faces = match &model {
            None => Vec::new(),
            Some(m) => match detect(m, &image, &clock, &mut times) {
                Ok(faces) => faces,
                Err(e) if !s.keep_going => return Err(e),
                Err(e) => {
                    eprintln!("{APP}: {}", e.0); // field mode goes on with the next frame
                    Vec::new()
                }
            },
        };
        let t1 = clock.tick();
        let celsius = bme.as_ref().and_then(|b| b.temperature());
        let t2 = clock.tick();
        draw_faces(&image, &faces, w, h)?;
        let t3 = clock.tick();
        let (mut t_encode, mut t_write) = (0, 0);
        if let Some(dir) = &s.out_dir {
            (t_encode, t_write) = write_png(dir, frame.sequence_number, &image, &clock)?;
            written += 1;
        }
        let t4 = clock.tick();
        drop(image); // the frame buffer goes back to the pool
        let t_drop = clock.tick() - t4;

        let mut line = frame_line(&frame, &faces, w, h, celsius);
        if model.is_none() {
            line.push_str(",\"model\":false");
        }
        if s.timing {
            // wait: for the frame; read: read-frames; image: from-frame; infer: to-tensor + compute +
            // outputs in; post: anchors + NMS; print: the previous line.
            let _ = write!(
                line,
                ",\"us\":{{\"wait\":{},\"read\":{},\"image\":{},\"infer\":{},\"tensor\":{},\"compute\":{},\"post\":{},\"i2c\":{},\"draw\":{},\"encode\":{},\"write\":{},\"drop\":{},\"print\":{},\"total\":{}}}",
                t_waited - t_start,
                t0 - t_waited,
                t_image,
                times.infer,
                times.tensor,
                times.compute,
                t1 - t_detect - times.infer,
                t2 - t1,
                t3 - t2,
                t_encode,
                t_write,
                t_drop,
                t_print,
                clock.tick() - t_start
            );
        }
        line.push_str("}\n");
        print_line(&line);
        t_print = clock.tick() - t3 - t_encode - t_write;
        drop(frame);
        frames += 1;
        faces_total += faces.len();
    }

    drop(ready);
    let _ = dev.stop();
    drop(pool);
    drop(dev);
    drop(model);
    drop(bme);
    let mut line = String::from("{\"summary\":{\"app\":\"");
    line.push_str(APP);
    line.push_str("\",\"camera\":");
    json::string(&mut line, &s.camera);
    let _ = write!(line, ",\"frames\":{frames},\"faces\":{faces_total},\"images_written\":{written},\"out\":");
    json::string(&mut line, s.out_dir.as_deref().unwrap_or("-"));
    line.push_str(",\"seconds\":");
    json::fixed(&mut line, (clock.now_us() - started) as f64 / 1e6, 3);
    if s.keep_going {
        let _ = write!(line, ",\"camera_outages\":{outages},\"model_failures\":{model_failures}");
    }
    line.push_str("}}\n");
    print_line(&line);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(why)) => {
            eprintln!("{APP}: {why}");
            ExitCode::FAILURE
        }
    }
}
