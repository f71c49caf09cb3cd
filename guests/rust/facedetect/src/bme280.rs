//! Temperature from a Bosch BME280 on I2C (wasi-edge:host/access open-i2c, then wasi:i2c).
use wasi_edge_guest::access::{self, AccessError};
use wasi_edge_guest::i2c::{Address, ErrorCode, I2c};

const CHIP_ID: u8 = 0x60;

/// Why there is no temperature (the app goes on without it).
pub enum Missing {
    Bus(AccessError),
    Chip,
}

/// A BME280 in normal mode, with its temperature calibration.
pub struct Bme280 {
    bus: I2c,
    address: Address,
    t1: u16,
    t2: i16,
    t3: i16,
    /// The start command was acknowledged (else every read gives no temperature).
    running: bool,
}

impl Bme280 {
    /// Opens the bus, checks the chip id, reads the calibration, starts normal mode.
    pub fn open(bus_name: &str, address: Address) -> Result<Bme280, Missing> {
        let bus = access::open_i2c(bus_name).map_err(Missing::Bus)?;
        let id = read(&bus, address, 0xd0, 1).map_err(|_| Missing::Chip)?;
        if id[0] != CHIP_ID {
            return Err(Missing::Chip);
        }
        let c = read(&bus, address, 0x88, 6).map_err(|_| Missing::Chip)?;
        // temperature oversampling x1, pressure off, normal mode
        let running = bus.write(address, &[0xf4, (1 << 5) | 0x03]).is_ok();
        Ok(Bme280 {
            bus,
            address,
            t1: u16::from_le_bytes([c[0], c[1]]),
            t2: i16::from_le_bytes([c[2], c[3]]),
            t3: i16::from_le_bytes([c[4], c[5]]),
            running,
        })
    }

    /// °C, or None when the read failed. The datasheet's integer compensation (§8.2).
    #[inline(never)]
    pub fn temperature(&self) -> Option<f32> {
        if !self.running {
            return None;
        }
        let d = read(&self.bus, self.address, 0xfa, 3).ok()?;
        let adc = ((d[0] as u32) << 12 | (d[1] as u32) << 4 | (d[2] as u32) >> 4) as i32;
        let (t1, t2, t3) = (self.t1 as i32, self.t2 as i32, self.t3 as i32);
        let v1 = (((adc >> 3) - (t1 << 1)) * t2) >> 11;
        let v2 = (((((adc >> 4) - t1) * ((adc >> 4) - t1)) >> 12) * t3) >> 14;
        Some((((v1 + v2) * 5 + 128) >> 8) as f32 / 100.0)
    }
}

/// `n` bytes from register `reg`; a short answer counts as a failure.
fn read(bus: &I2c, address: Address, reg: u8, n: usize) -> Result<Vec<u8>, ErrorCode> {
    let data = bus.write_read(address, &[reg], n as u64)?;
    if data.len() == n {
        Ok(data)
    } else {
        Err(ErrorCode::Other)
    }
}
