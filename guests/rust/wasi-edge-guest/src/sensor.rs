//! `wasi:sensor` (unversioned HEAD): devices (cameras) that fill buffer pools, and their properties.
use crate::abi::{self, resource, wit_enum, Ret};
use crate::buffer_pool::{unit_result, BufferError, Dimension};

#[link(wasm_import_module = "wasi:sensor/sensor")]
extern "C" {
    #[link_name = "[static]device.open"]
    fn device_open(name: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[static]device.list-names"]
    fn device_list_names(ret: *mut u8);
    #[link_name = "[method]device.start"]
    fn device_start(this: i32, pool: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]device.stop"]
    fn device_stop(this: i32, ret: *mut u8);
    #[link_name = "[method]device.set-property"]
    fn device_set_property(this: i32, key: i32, tag: i32, a: i32, b: i32, c: i32, d: i32, ret: *mut u8);
    #[link_name = "[method]device.get-property"]
    fn device_get_property(this: i32, key: i32, ret: *mut u8);
    #[link_name = "[resource-drop]device"]
    fn device_drop(this: i32);
}

/// Why a device call failed. The WIT's `device-error` has exactly the cases of
/// `wasi:buffer-pool`'s `buffer-error`, in the same order (the bindings test checks it), so one
/// Rust type serves both.
pub type DeviceError = BufferError;

wit_enum! { "wasi:sensor/property" "property-key"
    /// A device property.
    pub enum PropertyKey {
        /// Samples (frames) per second, a fraction.
        SamplingRate = "sampling-rate",
        Dimension = "dimension",
    }
}

/// A fraction, e.g. a frame rate of 30000/1001.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fraction {
    pub numerator: u32,
    pub denominator: u32,
}

/// The value of a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertyValue {
    Fraction(Fraction),
    Dimension(Dimension),
}

resource!(
    /// An open sensor. Dropping it closes it (and stops it).
    Device,
    device_drop
);

impl Device {
    /// Opens a device by name (`list_names` says which exist).
    pub fn open(name: &str) -> Result<Device, DeviceError> {
        let mut ret = Ret::<8>::new();
        unsafe {
            device_open(name.as_ptr(), name.len(), ret.ptr());
            match ret.u8(0) {
                0 => Ok(Device::from_handle(ret.i32(4))),
                _ => Err(DeviceError::from_abi(ret.u8(4))),
            }
        }
    }

    /// The names of the devices this guest may open.
    pub fn list_names() -> Result<Vec<String>, DeviceError> {
        let mut ret = Ret::<12>::new();
        unsafe {
            device_list_names(ret.ptr());
            if ret.u8(0) != 0 {
                return Err(DeviceError::from_abi(ret.u8(4)));
            }
            let (p, n) = ret.list(4);
            Ok(abi::take_strings(p, n))
        }
    }

    /// Starts delivering frames into the pool of that name.
    pub fn start(&self, pool: &str) -> Result<(), DeviceError> {
        let mut ret = Ret::<2>::new();
        unsafe { device_start(self.handle, pool.as_ptr(), pool.len(), ret.ptr()) };
        unit_result(&ret)
    }

    pub fn stop(&self) -> Result<(), DeviceError> {
        let mut ret = Ret::<2>::new();
        unsafe { device_stop(self.handle, ret.ptr()) };
        unit_result(&ret)
    }

    /// Sets a property (this host: only while the device is stopped).
    pub fn set_property(&self, key: PropertyKey, value: PropertyValue) -> Result<(), DeviceError> {
        // property-value flattened: its tag, then four i32 slots (a fraction uses two).
        let (tag, a, b, c, d) = match value {
            PropertyValue::Fraction(f) => (0, f.numerator as i32, f.denominator as i32, 0, 0),
            PropertyValue::Dimension(v) => {
                (1, v.width as i32, v.height as i32, v.stride_bytes as i32, v.pixel_format as i32)
            }
        };
        let mut ret = Ret::<2>::new();
        unsafe { device_set_property(self.handle, key as i32, tag, a, b, c, d, ret.ptr()) };
        unit_result(&ret)
    }

    pub fn get_property(&self, key: PropertyKey) -> Result<PropertyValue, DeviceError> {
        let mut ret = Ret::<24>::new();
        unsafe {
            device_get_property(self.handle, key as i32, ret.ptr());
            if ret.u8(0) != 0 {
                return Err(DeviceError::from_abi(ret.u8(4)));
            }
            Ok(match ret.u8(4) {
                0 => PropertyValue::Fraction(Fraction { numerator: ret.u32(8), denominator: ret.u32(12) }),
                _ => PropertyValue::Dimension(Dimension::lift(ret.ptr().add(8))),
            })
        }
    }

    /// The frame size and format (`get_property(Dimension)`).
    pub fn dimension(&self) -> Result<Dimension, DeviceError> {
        match self.get_property(PropertyKey::Dimension)? {
            PropertyValue::Dimension(d) => Ok(d),
            PropertyValue::Fraction(_) => Err(DeviceError::Unknown),
        }
    }

    /// The frame rate (`get_property(SamplingRate)`).
    pub fn sampling_rate(&self) -> Result<Fraction, DeviceError> {
        match self.get_property(PropertyKey::SamplingRate)? {
            PropertyValue::Fraction(f) => Ok(f),
            PropertyValue::Dimension(_) => Err(DeviceError::Unknown),
        }
    }
}
