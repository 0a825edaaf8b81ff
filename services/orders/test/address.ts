/** A valid Kenyan delivery address, shared by unit and integration tests. */
export const ADDRESS = {
  recipientName: 'Wanjiru Kamau',
  line1: 'Moi Avenue 1',
  line2: '',
  city: 'Nairobi',
  region: '',
  postalCode: '00100',
  countryCode: 'KE',
  phoneNumber: '+254712345678',
};
