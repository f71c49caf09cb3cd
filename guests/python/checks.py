"""The edge module's behaviour at its edges, one case per run (test/python/*.test.ts runs them).

    py-checks.wasm -- CASE     CASE: raise | exit | types | nack | access | camera | closed | gc | keep | errors
"""
import gc
import sys

from edge import EdgeError, i2c, nn, sensor, spi, vision


def raise_case():
    def deeper():
        raise RuntimeError('boom from python')
    deeper()


def exit_case():
    print('exiting with', sys.argv[2])
    sys.exit(int(sys.argv[2]))


def types_case():
    """Each call gets an argument of the wrong type: each must raise TypeError (and nothing else)."""
    bus = i2c.open('i2c-sim0')
    calls = {
        'i2c.open(42)': lambda: i2c.open(42),
        'write_read(str address)': lambda: bus.write_read('0x76', b'\xd0', 1),
        'write_read(str data)': lambda: bus.write_read(0x76, 'd0', 1),
        'write(list data)': lambda: bus.write(0x76, [0xd0]),
        'transaction(float op)': lambda: bus.transaction(0x76, [1.5]),
        'sensor.open(None)': lambda: sensor.open(None),
        'Pool(size str)': lambda: sensor.Pool('p', 'big'),
        'Tensor(str data)': lambda: nn.Tensor([1], 'fp32', 'abcd'),
        'Tensor(str dims)': lambda: nn.Tensor(['1'], 'fp32', b'abcd'),
        'Image.from_frame(bytes)': lambda: vision.Image.from_frame(b'frame'),
        'Image.from_encoded(int)': lambda: vision.Image.from_encoded(7),
        'spi.open(7)': lambda: spi.open(7),
        'nn.load(1.0)': lambda: nn.load(1.0),
    }
    for what, call in calls.items():
        try:
            call()
        except TypeError as e:
            print(f'TypeError {what}: {e}')
        else:
            print(f'no error {what}')
    bus.close()


def nack_case():
    with i2c.open('i2c-sim0') as bus:
        try:
            bus.write_read(0x77, b'\xd0', 1)
        except i2c.I2CError as e:
            print(f'{type(e).__module__}.{type(e).__qualname__} code={e.code} detail={e.detail} edge={isinstance(e, EdgeError)}')


def access_case():
    try:
        i2c.open('no-such-bus')
    except i2c.AccessError as e:
        print(f'AccessError code={e.code} detail={e.detail}')


def camera_case():
    try:
        sensor.open('no-such-camera')
    except sensor.SensorError as e:
        print(f'SensorError code={e.code} detail={e.detail}')


def closed_case():
    with i2c.open('i2c-sim0') as bus:
        print('chip', bus.write_read(0x76, b'\xd0', 1).hex())
    print('closed', bus.closed)
    try:
        bus.write_read(0x76, b'\xd0', 1)
    except ValueError as e:
        print('ValueError', e)
    # Left open on purpose: garbage collection (at the latest, at exit) drops it.
    i2c.open('i2c-sim0')


def gc_case():
    """Opens 40 buses and closes none: each is dropped when its object goes (the host allows 4 open)."""
    for _ in range(20):
        bus = i2c.open('i2c-sim0')  # the previous one has no reference left: freed, dropped
        bus.write_read(0x76, b'\xd0', 1)
    del bus
    for _ in range(20):
        cycle = [i2c.open('i2c-sim0')]
        cycle.append(cycle)  # only the cycle collector frees this one
        del cycle
        gc.collect()
    print('opened 40 buses, closed none')


def keep_case():
    """Keeps every bus it opens: the host's limit refuses one, and the AccessError escapes."""
    buses = [i2c.open('i2c-sim0') for _ in range(40)]
    print(len(buses))


def errors_case():
    """One WIT error of each other interface, each as its class, with its code."""
    from edge import config
    calls = [
        ('vision.Image.from_encoded(junk)', lambda: vision.Image.from_encoded(b'not an image')),
        ('nn.load(nope)', lambda: nn.load('nope')),
        ('spi.open(nope)', lambda: spi.open('nope')),
        ('sensor.Pool(size 0)', lambda: sensor.Pool('p', 0, 0)),
        ('image.crop(outside)', lambda: vision.Image.from_pixels(2, 2, 'gray', b'\0\0\0\0').crop(1, 1, 5, 5)),
    ]
    for what, call in calls:
        try:
            call()
        except EdgeError as e:
            print(f'{what}: {type(e).__module__}.{type(e).__qualname__} {e.code}')
        else:
            print(f'{what}: no error')
    print('config.get(missing):', config.get('no-such-key'))


CASES = {'raise': raise_case, 'exit': exit_case, 'types': types_case, 'nack': nack_case, 'access': access_case,
         'camera': camera_case, 'closed': closed_case, 'gc': gc_case, 'keep': keep_case, 'errors': errors_case}
CASES[sys.argv[1]]()
