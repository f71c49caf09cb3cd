//! A small I2C + SPI example with the wasi-edge-guest crate, on the host's default simulated
//! devices (an AT24C32 EEPROM at 0x50 on i2c-sim0, a SPI NOR flash and an MCP3008 ADC):
//!
//! - I2C: a page write as one transaction, ACK polling while the EEPROM runs its write cycle (it
//!   does not acknowledge its address then: `NoAcknowledge(Address)` is the expected answer), and a
//!   random read back as ONE transaction with two reads;
//! - SPI: the flash's JEDEC ID with one transaction (chip select held across command and reply),
//!   and channel 0 of the ADC with one full-duplex transfer.
//!
//! argv: [bus (i2c-sim0)] [flash device (spi-flash0)] [adc device (spi-adc0)]
use std::error::Error;
use std::process::ExitCode;
use wasi_edge_guest::access;
use wasi_edge_guest::i2c::{ErrorCode, NoAcknowledgeSource, Operation};
use wasi_edge_guest::spi::{self, OperationResult};

const EEPROM: u16 = 0x50;

fn eeprom(bus_name: &str) -> Result<(), Box<dyn Error>> {
    let bus = access::open_i2c(bus_name)?;
    let delay = access::get_delay();
    let at: u16 = 0x0100;
    let mut page = at.to_be_bytes().to_vec();
    page.extend((0..16u8).map(|i| 0xa0 + i * 3));
    let results = bus.transaction(EEPROM, &[Operation::Write(&page)])?;
    println!("eeprom: wrote 16 bytes at 0x{at:04x} (transaction returned {} results)", results.len());

    let mut polls = 0;
    loop {
        match bus.transaction(EEPROM, &[Operation::Write(&page[..2])]) {
            Ok(_) => break,
            Err(ErrorCode::NoAcknowledge(NoAcknowledgeSource::Address)) if polls < 100 => {
                polls += 1;
                delay.delay_ns(500_000);
            }
            Err(e) => return Err(format!("polling: {e}").into()),
        }
    }
    println!("eeprom: write cycle done after {polls} busy poll{}", if polls == 1 { "" } else { "s" });

    let parts = bus.transaction(EEPROM, &[Operation::Write(&page[..2]), Operation::Read(8), Operation::Read(8)])?;
    let back: Vec<u8> = parts.concat();
    let hex: Vec<String> = back.iter().map(|b| format!("{b:02x}")).collect();
    println!("eeprom: read back {} bytes in {} parts: {}", back.len(), parts.len(), hex.join(" "));
    if back != page[2..] {
        return Err("eeprom round trip: MISMATCH".into());
    }
    println!("eeprom round trip: match");
    Ok(())
}

fn flash_and_adc(flash_name: &str, adc_name: &str) -> Result<(), Box<dyn Error>> {
    // clock, mode and bit order are the host's configuration of each device
    let flash = spi::open(flash_name)?;
    let results = flash.transaction(&[spi::Operation::Write(&[0x9f]), spi::Operation::Read(3)])?;
    match results.as_slice() {
        [OperationResult::Write, OperationResult::Read(id)] if id.len() == 3 => {
            println!("flash JEDEC ID: {:02x} {:02x} {:02x}", id[0], id[1], id[2])
        }
        other => return Err(format!("JEDEC ID transaction returned {other:?}").into()),
    }

    let adc = spi::open(adc_name)?;
    // start bit, single-ended channel 0, then 10 bits come back in the last two bytes
    let rx = adc.transfer(&[0x01, 0x80, 0x00])?;
    let code = ((rx[1] as u32 & 3) << 8) | rx[2] as u32;
    println!("mcp3008 ch0: {code} ({} mV at Vref 3300 mV)", code * 3300 / 1024);
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: &'static str| args.get(i).map_or(default, |s| s.as_str());
    let result = eeprom(arg(1, "i2c-sim0")).and_then(|()| flash_and_adc(arg(2, "spi-flash0"), arg(3, "spi-adc0")));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rust-i2c-spi: {e}");
            ExitCode::FAILURE
        }
    }
}
